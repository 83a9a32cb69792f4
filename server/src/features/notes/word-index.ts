/** Words as search sees them: runs of letters and digits, lower-cased. */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * Which notes hold which words: a dictionary of words and, per word, the notes holding it, so a
 * query touches the notes that match instead of reading every readable note's text. Compact on
 * purpose (10,000 notes of a page each hold about a million note-word pairs): notes are small
 * numbers, each note keeps its words as one typed array.
 */
export class WordIndex {
  private readonly wordIds = new Map<string, number>();
  private readonly postings: number[][] = [];
  private readonly noteNumbers = new Map<string, number>();
  private readonly noteWords: (Uint32Array | undefined)[] = [];

  /** Replaces what a note holds. */
  set(noteId: string, text: string): void {
    const note = this.numberOf(noteId);
    this.clear(note);
    const ids = new Set<number>();
    for (const word of wordsOf(text)) {
      let id = this.wordIds.get(word);
      if (id === undefined) {
        id = this.postings.length;
        this.wordIds.set(word, id);
        this.postings.push([]);
      }
      ids.add(id);
    }
    for (const id of ids) this.postings[id]!.push(note);
    this.noteWords[note] = Uint32Array.from(ids);
  }

  /** The notes (by number, see numberOf) holding a word starting with `prefix`. */
  notesWithPrefix(prefix: string): Set<number> {
    const notes = new Set<number>();
    for (const [word, id] of this.wordIds) {
      if (word.startsWith(prefix)) for (const note of this.postings[id]!) notes.add(note);
    }
    return notes;
  }

  numberOf(noteId: string): number {
    let note = this.noteNumbers.get(noteId);
    if (note === undefined) {
      note = this.noteWords.length;
      this.noteNumbers.set(noteId, note);
      this.noteWords.push(undefined);
    }
    return note;
  }

  private clear(note: number): void {
    for (const id of this.noteWords[note] ?? []) {
      const list = this.postings[id]!;
      const at = list.indexOf(note);
      list[at] = list[list.length - 1]!;
      list.pop();
    }
    this.noteWords[note] = undefined;
  }
}
