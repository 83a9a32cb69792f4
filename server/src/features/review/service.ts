import type {
  CritiqueView,
  ReviewFilter,
  ReviewListQuery,
  ReviewListResponse,
  ReviewPartnersResponse,
  ReviewPatternsResponse,
} from '@kneadback/shared/schemas/review';
import type { AuthService } from '../auth/service.ts';
import { ReviewCache, type ReviewCacheLimits } from './review-cache.ts';
import type { CritiqueRecord } from '@kneadback/shared/schemas/critique';
import type { ReviewShards } from './review-shards.ts';

/** Bounds the pattern aggregation; a therapist with more critiques than this sees the newest. */
const PATTERN_SCAN_LIMIT = 20_000;
const TOP_TAGS = 8;
const CARRIED_FORWARD_LIMIT = 200;

/**
 * Review reads only the user's own projection (their Review collection), never live documents:
 * from memory while the collection is unchanged (see ReviewCache), else from the database.
 */
export class ReviewService {
  private readonly cache: ReviewCache;

  constructor(
    private readonly shards: ReviewShards,
    private readonly auth: Pick<AuthService, 'publicUsers'>,
    cacheLimits?: ReviewCacheLimits,
  ) {
    this.cache = new ReviewCache(shards, cacheLimits);
  }

  async list(userId: string, query: ReviewListQuery): Promise<ReviewListResponse> {
    const held = await this.cache.entries(userId);
    if (held) {
      const matching = held.filter(matcher(query)).sort(query.sort === 'newest' ? newestFirst : oldestFirst);
      const start = (query.page - 1) * query.pageSize;
      const items = await this.present(matching.slice(start, start + query.pageSize));
      return { items, total: matching.length, page: query.page, pageSize: query.pageSize };
    }
    const filter = reviewFilter(query);
    const mine = this.shards.of(userId);
    const [docs, total] = await Promise.all([
      mine
        .find(filter)
        .sort({ createdAt: query.sort === 'newest' ? -1 : 1, _id: 1 })
        .skip((query.page - 1) * query.pageSize)
        .limit(query.pageSize)
        .toArray(),
      mine.countDocuments(filter),
    ]);
    return { items: await this.present(docs), total, page: query.page, pageSize: query.pageSize };
  }

  async patterns(userId: string, filter: ReviewFilter): Promise<ReviewPatternsResponse> {
    const held = (await this.cache.entries(userId))?.filter(matcher(filter));
    const docs: Pick<CritiqueRecord, 'regionId' | 'tags' | 'exchangeDate'>[] = held
      ? held.length > PATTERN_SCAN_LIMIT
        ? held.sort(newestFirst).slice(0, PATTERN_SCAN_LIMIT)
        : held
      : await this.shards
          .of(userId)
          .find(reviewFilter(filter), { projection: { regionId: 1, tags: 1, exchangeDate: 1 } })
          .sort({ createdAt: -1, _id: 1 })
          .limit(PATTERN_SCAN_LIMIT)
          .toArray();
    const regions = new Map<string, number>();
    const tagTotals = new Map<string, number>();
    const tagMonths = new Map<string, number>();
    for (const d of docs) {
      regions.set(d.regionId, (regions.get(d.regionId) ?? 0) + 1);
      const month = d.exchangeDate.slice(0, 7);
      for (const tag of d.tags) {
        tagTotals.set(tag, (tagTotals.get(tag) ?? 0) + 1);
        tagMonths.set(`${tag}\u0000${month}`, (tagMonths.get(`${tag}\u0000${month}`) ?? 0) + 1);
      }
    }
    const topTags = new Set(
      [...tagTotals]
        .sort((a, b) => b[1] - a[1] || compare(a[0], b[0]))
        .slice(0, TOP_TAGS)
        .map(([tag]) => tag),
    );
    return {
      regions: [...regions]
        .map(([regionId, count]) => ({ regionId, count }))
        .sort((a, b) => b.count - a.count || compare(a.regionId, b.regionId)),
      tagsByMonth: [...tagMonths]
        .map(([key, count]) => {
          const [tag = '', month = ''] = key.split('\u0000');
          return { tag, month, count };
        })
        .filter((t) => topTags.has(t.tag))
        .sort((a, b) => a.month.localeCompare(b.month) || a.tag.localeCompare(b.tag)),
      total: docs.length,
    };
  }

  /**
   * The partners of the user's critiques, from their own Review collection (held in memory, or one scan of it):
   * not from their exchanges, which FerretDB could only find by scanning everyone's.
   */
  async partners(userId: string): Promise<ReviewPartnersResponse> {
    const held = await this.cache.entries(userId);
    const partnerIds = held
      ? held.map((d) => d.partnerId)
      : await this.shards.of(userId).distinct('partnerId', { partnerId: { $ne: null } });
    const ids = [...new Set(partnerIds)].filter((id): id is string => typeof id === 'string');
    const users = await this.auth.publicUsers(ids);
    return { partners: [...users.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)) };
  }

  /** Open critiques from the given earlier debriefs, as the viewer sees them. */
  async openIn(userId: string, debriefIds: string[]): Promise<CritiqueView[]> {
    if (debriefIds.length === 0) return [];
    const held = await this.cache.entries(userId);
    if (held) {
      const wanted = new Set(debriefIds);
      const open = held.filter((d) => wanted.has(d.exchangeId) && d.status === 'open' && d.category !== 'praise');
      return this.present(open.sort(carriedForwardOrder).slice(0, CARRIED_FORWARD_LIMIT));
    }
    const docs = await this.shards
      .of(userId)
      .find({ exchangeId: { $in: debriefIds }, status: 'open', category: { $ne: 'praise' } })
      .sort({ exchangeDate: -1, createdAt: 1, _id: 1 })
      .limit(CARRIED_FORWARD_LIMIT)
      .toArray();
    return this.present(docs);
  }

  private async present(docs: readonly CritiqueRecord[]): Promise<CritiqueView[]> {
    const partnerIds = [...new Set(docs.flatMap((d) => (d.partnerId ? [d.partnerId] : [])))];
    const users = await this.auth.publicUsers(partnerIds);
    return docs.map(({ _id, partnerId, createdAt, thread, ...same }) => ({
      ...same,
      partner: partnerId ? (users.get(partnerId) ?? null) : null,
      createdAt: createdAt.toISOString(),
      thread: thread.map((t) => ({
        ...t,
        createdAt: t.createdAt.toISOString(),
        editedAt: t.editedAt ? t.editedAt.toISOString() : null,
      })),
    }));
  }
}

/** A Mongo filter for one user's Review collection. */
export function reviewFilter(f: ReviewFilter): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (f.role) filter.role = f.role;
  if (f.partnerId) filter.partnerId = f.partnerId;
  if (f.category) filter.category = f.category;
  if (f.regionId) filter.regionId = f.regionId;
  if (f.tag) filter.tags = f.tag;
  if (f.verdict) filter.verdict = f.verdict;
  if (f.status) filter.status = f.status;
  if (f.from || f.to) filter.exchangeDate = { ...(f.from && { $gte: f.from }), ...(f.to && { $lte: f.to }) };
  return filter;
}

/** reviewFilter as a predicate over entries held in memory: the same matches, field by field. */
export function matcher(f: ReviewFilter): (d: CritiqueRecord) => boolean {
  return (d) =>
    (!f.role || d.role === f.role) &&
    (!f.partnerId || d.partnerId === f.partnerId) &&
    (!f.category || d.category === f.category) &&
    (!f.regionId || d.regionId === f.regionId) &&
    (!f.tag || d.tags.includes(f.tag)) &&
    (!f.verdict || d.verdict === f.verdict) &&
    (!f.status || d.status === f.status) &&
    (!f.from || d.exchangeDate >= f.from) &&
    (!f.to || d.exchangeDate <= f.to);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: CritiqueRecord, b: CritiqueRecord) => compare(a._id, b._id);
/** The database queries' orders: createdAt, then _id ascending. */
const newestFirst = (a: CritiqueRecord, b: CritiqueRecord) =>
  b.createdAt.getTime() - a.createdAt.getTime() || byId(a, b);
const oldestFirst = (a: CritiqueRecord, b: CritiqueRecord) =>
  a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b);
const carriedForwardOrder = (a: CritiqueRecord, b: CritiqueRecord) =>
  compare(b.exchangeDate, a.exchangeDate) || a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b);
