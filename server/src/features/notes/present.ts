import { noteDocName } from '@kneadback/shared/docs/note-doc';
import type { NoteAccess, NoteSummary } from '@kneadback/shared/schemas/note';
import type { PublicUser } from '@kneadback/shared/schemas/user';
import { MODALITIES, type Modality } from '@kneadback/shared/vocabulary';
import type { AuthService } from '../auth/service.ts';
import { accessOf } from './access.ts';
import type { NoteRecord } from './model.ts';

/** How long a person's public profile is reused for lists (names change rarely; lists are hot). */
const PEOPLE_TTL_MS = 30_000;
const MAX_PEOPLE = 10_000;

/** Public profiles for lists of notes, read by `_id` and kept briefly (unknown ids too). */
export class People {
  private readonly held = new Map<string, { user: PublicUser | null; at: number }>();

  constructor(private readonly auth: AuthService) {}

  async of(ids: Iterable<string>): Promise<Map<string, PublicUser>> {
    const now = Date.now();
    const out = new Map<string, PublicUser>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const held = this.held.get(id);
      if (!held || now - held.at >= PEOPLE_TTL_MS) missing.push(id);
      else if (held.user) out.set(id, held.user);
    }
    if (missing.length > 0) {
      const found = await this.auth.publicUsers(missing);
      for (const id of missing) {
        const user = found.get(id) ?? null;
        this.held.set(id, { user, at: now });
        if (user) out.set(id, user);
      }
      if (this.held.size > MAX_PEOPLE) this.forgetOld(now);
    }
    return out;
  }

  private forgetOld(now: number): void {
    for (const [id, held] of this.held) if (now - held.at >= PEOPLE_TTL_MS) this.held.delete(id);
  }
}

/** Someone whose account is gone still shows as someone. */
export function personOr(people: Map<string, PublicUser>, id: string): PublicUser {
  return people.get(id) ?? { id, displayName: 'Former member', modalities: [], city: '' };
}

export function summaryOf(record: NoteRecord, viewerId: string, people: Map<string, PublicUser>): NoteSummary {
  const access = accessOf(record, viewerId) as NoteAccess;
  const opened = record.opened[viewerId];
  return {
    id: record._id,
    docName: noteDocName(record._id),
    kind: record.kind,
    title: record.title,
    tags: record.tags,
    regions: record.regions,
    modality: (MODALITIES as readonly string[]).includes(record.modality ?? '') ? (record.modality as Modality) : null,
    author: personOr(people, record.ownerId),
    access,
    published: record.published,
    helpfulCount: record.helpful.length,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    unseen: access !== 'owner' && (!opened || opened < record.updatedAt),
  };
}

export async function summariesOf(people: People, records: NoteRecord[], viewerId: string): Promise<NoteSummary[]> {
  const known = await people.of(records.map((r) => r.ownerId));
  return records.map((r) => summaryOf(r, viewerId, known));
}
