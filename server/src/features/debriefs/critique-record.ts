import { createHash } from 'node:crypto';
import type { Annotation, ThreadEntry } from '@kneadback/shared/schemas/annotation';
import type { CritiqueRecord } from '@kneadback/shared/schemas/critique';
import type { DebriefContext } from './projector.ts';
import { giverAndReceiver } from '@kneadback/shared/rounds';

/** One annotation's critique record for each partner's Review, and a fingerprint of its values. */
export interface ProjectedCritique {
  /** Unchanged fingerprint, unchanged records: the projector does not rewrite them. */
  hash: string;
  records: { userId: string; record: CritiqueRecord }[];
}

export function projectCritique(
  exchangeId: string,
  a: Annotation,
  thread: ThreadEntry[],
  ctx: DebriefContext,
): ProjectedCritique {
  const roles = giverAndReceiver(a.round, ctx.partnerA, ctx.partnerB);
  // a round 2 mark before partner B joined: A wrote it, so it is A's
  const giverId = roles.giver ?? ctx.partnerA;
  const receiverId = roles.receiver;
  const shared = {
    _id: `${exchangeId}:${a.id}`,
    exchangeId,
    annotationId: a.id,
    exchangeDate: ctx.exchangeDate,
    round: a.round,
    authorId: a.authorId,
    category: a.category,
    view: a.position.view,
    regionId: a.position.regionId,
    x: a.position.x,
    y: a.position.y,
    pressure: a.pressure,
    verdict: a.verdict,
    wanted: a.wanted,
    tags: a.tags,
    text: a.text,
    status: a.status,
    createdAt: new Date(a.createdAt),
    replyCount: thread.filter((t) => t.kind === 'reply' && !t.deleted).length,
    thread: thread.map((t) => ({
      id: t.id,
      authorId: t.authorId,
      kind: t.kind,
      text: t.text,
      createdAt: new Date(t.createdAt),
      editedAt: t.editedAt === null ? null : new Date(t.editedAt),
      deleted: t.deleted,
    })),
  };
  const hash = createHash('sha1')
    .update(JSON.stringify({ ...shared, giverId, receiverId }))
    .digest('base64url');
  const records: ProjectedCritique['records'] = [
    { userId: giverId, record: { ...shared, role: 'given', partnerId: receiverId } },
  ];
  if (receiverId) records.push({ userId: receiverId, record: { ...shared, role: 'received', partnerId: giverId } });
  return { hash, records };
}
