import type { NoteSearchQuery } from '@kneadback/shared/schemas/note';
import { accessOf } from './access.ts';
import type { NoteRecord } from './model.ts';

interface Held {
  record: NoteRecord;
  /** Title and text lower-cased, what words are looked for in. */
  haystack: string;
  titleLower: string;
}

export interface SearchHit {
  record: NoteRecord;
  score: number;
}

/** Occurrences of one word counted for relevance; more says nothing new. */
const MAX_COUNTED = 3;
const TITLE_WEIGHT = 10;

/**
 * Every note's record and plain text, held in memory and kept in step by this process's writes
 * (the server is one process; the records are read once at start-up). Search looks through the
 * notes the asker may read, narrowed first by owner, sharing and the community set: FerretDB
 * has no text index and scans any filtered query, while a substring pass over a therapist's few
 * thousand readable notes takes milliseconds.
 */
export class NoteIndex {
  private readonly notes = new Map<string, Held>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly bySharee = new Map<string, Set<string>>();
  private readonly published = new Set<string>();
  private readonly byMark = new Map<string, Set<string>>();

  get size(): number {
    return this.notes.size;
  }

  get(id: string): NoteRecord | undefined {
    return this.notes.get(id)?.record;
  }

  /** Adds or replaces a note (the record is kept as given: callers pass a fresh object). */
  put(record: NoteRecord): void {
    this.remove(record._id);
    this.notes.set(record._id, {
      record,
      haystack: `${record.title}\n${record.text}`.toLowerCase(),
      titleLower: record.title.toLowerCase(),
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
    const hits: SearchHit[] = [];
    for (const id of this.candidates(userId, query.scope)) {
      const held = this.notes.get(id)!;
      const r = held.record;
      if (query.kind && r.kind !== query.kind) continue;
      if (query.tag && !r.tags.includes(query.tag)) continue;
      if (query.modality && r.modality !== query.modality) continue;
      if (query.regionId && !r.regions.includes(query.regionId)) continue;
      if (query.authorId && r.ownerId !== query.authorId) continue;
      const score = relevance(held, words);
      if (score !== null) hits.push({ record: r, score });
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

/** The words of a query, lower-cased, each to be found in the note. */
export function searchWords(q: string): string[] {
  return [
    ...new Set(
      q
        .toLowerCase()
        .split(/[\s,.;:!?()"'/]+/u)
        .filter((w) => w.length > 0),
    ),
  ].slice(0, 10);
}

/** Null when a word is missing; else title matches weigh most, then how often words occur. */
function relevance(held: Held, words: string[]): number | null {
  let score = 0;
  for (const word of words) {
    let count = 0;
    for (
      let at = held.haystack.indexOf(word);
      at !== -1 && count < MAX_COUNTED;
      at = held.haystack.indexOf(word, at + word.length)
    ) {
      count++;
    }
    if (count === 0) return null;
    score += count + (held.titleLower.includes(word) ? TITLE_WEIGHT : 0);
  }
  return score;
}

const NONE: ReadonlySet<string> = new Set();

function* everyOnce(sets: ReadonlySet<string>[]): Iterable<string> {
  for (let i = 0; i < sets.length; i++) {
    for (const id of sets[i]!) if (!sets.slice(0, i).some((earlier) => earlier.has(id))) yield id;
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
