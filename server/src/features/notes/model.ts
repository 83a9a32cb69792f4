import { mongo, type Collection, type Connection } from 'mongoose';
import type { NoteKind, ShareRole } from '@kneadback/shared/schemas/note';

/**
 * Everything about a note the server keeps outside its live document (owner, sharing, links,
 * reactions, version list) plus the plain-text projection search reads, one row per note keyed
 * by its id. All of them are held in memory (note-index.ts) and read from here once at start-up;
 * every later read and write of a row is by `_id` (FerretDB v1 scans for anything else).
 */
export interface NoteRecord {
  _id: string;
  ownerId: string;
  kind: NoteKind;
  createdAt: Date;
  /** Last change of its content (or creation). */
  updatedAt: Date;
  shares: { userId: string; role: ShareRole; sharedAt: Date; sharedBy: string }[];
  published: boolean;
  publishedAt: Date | null;
  links: { id: string; exchangeId: string; markId: string; regionId: string; createdBy: string; createdAt: Date }[];
  /** Who marked it helpful, once each. */
  helpful: string[];
  /** Community readers who follow it (owner and people it is shared with follow unless they opted out). */
  followers: string[];
  unfollowed: string[];
  /** userId -> when they last opened it. */
  opened: Record<string, Date>;
  versions: VersionEntry[];
  /**
   * Its live document's encoded size as last counted against the owner's storage (storage.ts);
   * absent on notes from before storage was counted, which count from their next edit or opening.
   */
  bytes?: number;
  // the projection of its live document (projector.ts)
  title: string;
  tags: string[];
  regions: string[];
  modality: string | null;
  /** The body and the kind's text fields, plain text. */
  text: string;
}

export interface VersionEntry {
  id: string;
  name: string | null;
  auto: boolean;
  createdAt: Date;
  createdBy: string | null;
  /**
   * Its size as counted against the note owner's storage (absent: kept before it was counted; an
   * automatic one is counted at its note's next automatic version, see versions.ts).
   */
  bytes?: number;
}

/** A version's content: the whole Yjs state at that moment, by `${noteId}:${versionId}`. */
export interface VersionRow {
  _id: string;
  state: mongo.Binary | Buffer;
}

export interface CommentRow {
  id: string;
  authorId: string;
  text: string;
  createdAt: Date;
  editedAt: Date | null;
  deleted: boolean;
}

/** A note's comment thread, one row per note. */
export interface CommentThreadRow {
  _id: string;
  comments: CommentRow[];
  /** Bumped by every write of the thread (absent on threads written before it existed). */
  revision?: number;
}

/** What a person's notes take in storage (storage.ts), one row per person keyed by their id. */
export interface StorageRow {
  _id: string;
  bytes: number;
}

export interface NoteCollections {
  notes: Collection<NoteRecord>;
  versions: Collection<VersionRow>;
  comments: Collection<CommentThreadRow>;
  storage: Collection<StorageRow>;
}

export function noteCollections(connection: Connection): NoteCollections {
  return {
    notes: connection.collection<NoteRecord>('notes'),
    versions: connection.collection<VersionRow>('note_versions'),
    comments: connection.collection<CommentThreadRow>('note_comments'),
    storage: connection.collection<StorageRow>('note_storage'),
  };
}

export function versionRowId(noteId: string, versionId: string): string {
  return `${noteId}:${versionId}`;
}

export function bytesOf(state: mongo.Binary | Buffer): Uint8Array {
  const buffer = Buffer.isBuffer(state) ? state : Buffer.from(state.buffer);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
