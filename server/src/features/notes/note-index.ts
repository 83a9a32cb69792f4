import type { NoteSearchQuery } from '@kneadback/shared/schemas/note';
import { accessOf } from './access.ts';
import type { NoteRecord } from './model.ts';
import { WordIndex, wordsOf } from './word-index.ts';

interface Held {
  record: NoteRecord;
  /** Its number in the word index. */
  number: number;
  titleWords: readonly string[];
}

export interface SearchHit {
  record: NoteRecord;
  score: number;
}

const TITLE_WEIGHT = 10;

/**
 * Every note's record, held in memory and kept in step by this process's writes and, with several
 * server processes, by the change feed (service.ts rereads each record another process changed;
 * the records are read whole once at start-up), with a word index of titles and texts.
 * Search narrows by owner, sharing and the community set first, then keeps the notes holding
 * every word of the query (as a word or the start of one): FerretDB has no text index and scans
 * any filtered query, while this answers in about a millisecond for a few thousand readable notes.
 */
export class NoteIndex {
  private readonly notes = new Map<string, Held>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly bySharee = new Map<string, Set<string>>();
  private readonly published = new Set<string>();
  private readonly byMark = new Map<string, Set<string>>();
  private readonly words = new WordIndex();

  get size(): number {
    return this.notes.size;
  }

  ids(): string[] {
    return [...this.notes.keys()];
  }

  get(id: string): NoteRecord | undefined {
    return this.notes.get(id)?.record;
  }

  /** Adds or replaces a note (the record is kept as given: callers pass a fresh object). */
  put(record: NoteRecord): void {
    this.remove(record._id);
    this.words.set(record._id, `${record.title}\n${record.text}`);
    this.notes.set(record._id, {
      record,
      number: this.words.numberOf(record._id),
      titleWords: wordsOf(record.title),
    });
    add(this.byOwner, record.ownerId, record._id);
    for (const share of record.shares) add(this.bySharee, share.userId, record._id);
    if (record.published) this.published.add(record._id);
    for (const link of record.links) add(this.byMark, markKey(link.exchangeId, link.markId), record._id);
  }

  /** Changes a held record in place of the old one. */
  update(id: string, change: (record: NoteRecord) => NoteRecord): NoteRecord | undefined {
    const held = this.notes.get(id);
    if (!held) return undefined;
    const next = change(held.record);
    this.put(next);
    return next;
  }

  ownedBy(userId: string): NoteRecord[] {
    return this.records(this.byOwner.get(userId));
  }

  /** Forgets a note (its owner's account was deleted). */
  delete(id: string): void {
    this.remove(id);
  }

  private remove(id: string): void {
    const held = this.notes.get(id);
    if (!held) return;
    const { record } = held;
    this.notes.delete(id);
    drop(this.byOwner, record.ownerId, id);
    for (const share of record.shares) drop(this.bySharee, share.userId, id);
    this.published.delete(id);
    for (const link of record.links) drop(this.byMark, markKey(link.exchangeId, link.markId), id);
  }

  sharedWith(userId: string): NoteRecord[] {
    return this.records(this.bySharee.get(userId));
  }

  linkingMark(exchangeId: string, markId: string): NoteRecord[] {
    return this.records(this.byMark.get(markKey(exchangeId, markId)));
  }

  private records(ids: Iterable<string> | undefined): NoteRecord[] {
    return [...(ids ?? [])].map((id) => this.notes.get(id)!.record);
  }

  /** Notes the user may read matching the query, best first (sorted, not paged). */
  search(userId: string, query: NoteSearchQuery): SearchHit[] {
    const words = searchWords(query.q);
    const holding = words.map((word) => this.words.notesWithPrefix(word));
    const hits: SearchHit[] = [];
    for (const id of this.candidates(userId, query.scope)) {
      const held = this.notes.get(id)!;
      const r = held.record;
      if (query.kind && r.kind !== query.kind) continue;
      if (query.tag && !r.tags.includes(query.tag)) continue;
      if (query.modality && r.modality !== query.modality) continue;
      if (query.regionId && !r.regions.includes(query.regionId)) continue;
      if (query.authorId && r.ownerId !== query.authorId) continue;
      if (!holding.every((notes) => notes.has(held.number))) continue;
      // every word is in the note; those in its title count most
      const inTitle = words.filter((w) => held.titleWords.some((t) => t.startsWith(w))).length;
      hits.push({ record: r, score: words.length + inTitle * TITLE_WEIGHT });
    }
    const byRecency = (a: SearchHit, b: SearchHit) => b.record.updatedAt.getTime() - a.record.updatedAt.getTime();
    hits.sort(
      query.sort === 'relevance' && words.length > 0 ? (a, b) => b.score - a.score || byRecency(a, b) : byRecency,
    );
    return hits;
  }

  private candidates(userId: string, scope: NoteSearchQuery['scope']): Iterable<string> {
    const mine = this.byOwner.get(userId) ?? NONE;
    const shared = this.bySharee.get(userId) ?? NONE;
    if (scope === 'mine') return mine;
    if (scope === 'shared') return shared;
    if (scope === 'community') return this.published;
    return everyOnce([mine, shared, this.published]);
  }

  /** Whether the user may read the note (see access.ts). */
  readable(id: string, userId: string): NoteRecord | null {
    const record = this.get(id);
    return record && accessOf(record, userId) ? record : null;
  }
}

/** The words of a query, each to be found in the note (as a word or the start of one). */
export function searchWords(q: string): string[] {
  return [...new Set(wordsOf(q))].slice(0, 10);
}

const NONE: ReadonlySet<string> = new Set();

function* everyOnce(sets: ReadonlySet<string>[]): Iterable<string> {
  for (let i = 0; i < sets.length; i++) {
    for (const id of sets[i]!) {
      let seen = false;
      for (let earlier = 0; earlier < i && !seen; earlier++) seen = sets[earlier]!.has(id);
      if (!seen) yield id;
    }
  }
}

const markKey = (exchangeId: string, markId: string) => `${exchangeId}:${markId}`;

function add(index: Map<string, Set<string>>, key: string, id: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(id);
}

function drop(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key);
  set?.delete(id);
  if (set?.size === 0) index.delete(key);
}
