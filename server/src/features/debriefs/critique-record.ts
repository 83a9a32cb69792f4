import { createHash } from 'node:crypto';
import type { Annotation, ThreadEntry } from '@kneadback/shared/schemas/annotation';
import type { ReviewEntry } from '../review/review-shards.ts';
import type { DebriefContext } from './projector.ts';
import { giverAndReceiver } from '@kneadback/shared/rounds';

/** How one annotation of a debrief document is recorded for queries (critiques and Review). */
export type CritiqueProjection = ReturnType<typeof toRecord>;

/** The giver's and the receiver's view of one critique, for their Review collections. */
export function reviewEntries(r: CritiqueProjection): { userId: string; entry: ReviewEntry }[] {
  const shared = {
    _id: r._id,
    debriefId: r.debriefId,
    annotationId: r.annotationId,
    exchangeDate: r.exchangeDate,
    round: r.round,
    authorId: r.authorId,
    category: r.category,
    view: r.view,
    regionId: r.regionId,
    x: r.x,
    y: r.y,
    pressure: r.pressure,
    verdict: r.verdict,
    wanted: r.wanted,
    tags: r.tags,
    text: r.text,
    status: r.status,
    createdAt: r.createdAt,
    replyCount: r.replyCount,
    thread: r.thread,
  };
  const out: { userId: string; entry: ReviewEntry }[] = [
    { userId: r.giverId, entry: { ...shared, role: 'given', partnerId: r.receiverId } },
  ];
  if (r.receiverId)
    out.push({ userId: r.receiverId, entry: { ...shared, role: 'received' as const, partnerId: r.giverId } });
  return out;
}

export function toRecord(debriefId: string, a: Annotation, thread: ThreadEntry[], ctx: DebriefContext) {
  const { giver: giverId, receiver: receiverId } = giverAndReceiver(a.round, ctx.partnerA, ctx.partnerB);
  const values = {
    _id: `${debriefId}:${a.id}`,
    debriefId,
    annotationId: a.id,
    exchangeDate: ctx.exchangeDate,
    giverId: giverId ?? ctx.partnerA,
    receiverId,
    authorId: a.authorId,
    round: a.round,
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
    statusChangedBy: a.statusChangedBy,
    statusChangedAt: a.statusChangedAt === null ? null : new Date(a.statusChangedAt),
    createdAt: new Date(a.createdAt),
    updatedAt: new Date(a.updatedAt),
    thread: thread.map((t) => ({
      id: t.id,
      authorId: t.authorId,
      kind: t.kind,
      text: t.text,
      createdAt: new Date(t.createdAt),
      editedAt: t.editedAt === null ? null : new Date(t.editedAt),
      deleted: t.deleted,
    })),
    replyCount: thread.filter((t) => t.kind === 'reply' && !t.deleted).length,
  };
  const hash = createHash('sha1').update(JSON.stringify(values)).digest('base64url');
  return { ...values, hash };
}
