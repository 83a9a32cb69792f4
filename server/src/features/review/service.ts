import { Types } from 'mongoose';
import type {
  CritiqueView,
  ReviewFilter,
  ReviewListQuery,
  ReviewListResponse,
  ReviewPatternsResponse,
} from '@kneadback/shared/schemas/review';
import type { AuthService } from '../auth/service.ts';
import type { CritiqueModel, CritiqueRecord } from '../debriefs/critique-model.ts';

type StoredCritique = CritiqueRecord & { _id: string };

/** Bounds the pattern aggregation; a therapist with more critiques than this sees the newest. */
const PATTERN_SCAN_LIMIT = 20_000;
const TOP_TAGS = 8;

/** Review reads only the projection (critiques), never live documents. */
export class ReviewService {
  constructor(
    private readonly Critiques: CritiqueModel,
    private readonly auth: AuthService,
  ) {}

  async list(userId: string, query: ReviewListQuery): Promise<ReviewListResponse> {
    const filter = reviewFilter(userId, query);
    const [docs, total] = await Promise.all([
      this.Critiques.find(filter)
        .sort({ createdAt: query.sort === 'newest' ? -1 : 1, _id: 1 })
        .skip((query.page - 1) * query.pageSize)
        .limit(query.pageSize)
        .lean<StoredCritique[]>(),
      this.Critiques.countDocuments(filter),
    ]);
    return { items: await this.present(userId, docs), total, page: query.page, pageSize: query.pageSize };
  }

  async patterns(userId: string, filter: ReviewFilter): Promise<ReviewPatternsResponse> {
    const docs = await this.Critiques.find(reviewFilter(userId, filter), { regionId: 1, tags: 1, exchangeDate: 1 })
      .sort({ createdAt: -1 })
      .limit(PATTERN_SCAN_LIMIT)
      .lean<Pick<StoredCritique, 'regionId' | 'tags' | 'exchangeDate'>[]>();
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
        .sort((a, b) => b[1] - a[1])
        .slice(0, TOP_TAGS)
        .map(([tag]) => tag),
    );
    return {
      regions: [...regions].map(([regionId, count]) => ({ regionId, count })).sort((a, b) => b.count - a.count),
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

  /** Open critiques from the given earlier debriefs, as the viewer sees them. */
  async openIn(userId: string, debriefIds: string[]): Promise<CritiqueView[]> {
    if (debriefIds.length === 0) return [];
    const docs = await this.Critiques.find({
      debriefId: { $in: debriefIds.map((id) => new Types.ObjectId(id)) },
      status: 'open',
      category: { $ne: 'praise' },
    })
      .sort({ exchangeDate: -1, createdAt: 1 })
      .limit(200)
      .lean<StoredCritique[]>();
    return this.present(userId, docs);
  }

  private async present(userId: string, docs: StoredCritique[]): Promise<CritiqueView[]> {
    const partnerIds = new Set<string>();
    for (const d of docs) {
      const partner = partnerOf(userId, d);
      if (partner) partnerIds.add(partner);
    }
    const users = await this.auth.publicUsers([...partnerIds]);
    return docs.map((d) => {
      const partner = partnerOf(userId, d);
      return {
        debriefId: String(d.debriefId),
        annotationId: d.annotationId,
        exchangeDate: d.exchangeDate,
        round: d.round as 1 | 2,
        role: String(d.giverId) === userId ? 'given' : 'received',
        partner: partner ? (users.get(partner) ?? null) : null,
        authorId: String(d.authorId),
        category: d.category,
        view: d.view as CritiqueView['view'],
        regionId: d.regionId,
        x: d.x,
        y: d.y,
        pressure: d.pressure ?? null,
        verdict: (d.verdict ?? null) as CritiqueView['verdict'],
        wanted: d.wanted ?? null,
        tags: d.tags,
        text: d.text,
        status: d.status,
        createdAt: d.createdAt.toISOString(),
        replyCount: d.replyCount,
        thread: d.thread.map((t) => ({
          id: t.id,
          authorId: String(t.authorId),
          kind: t.kind as 'reply' | 'resolved' | 'reopened',
          text: t.text,
          createdAt: t.createdAt.toISOString(),
          editedAt: t.editedAt ? t.editedAt.toISOString() : null,
          deleted: t.deleted,
        })),
      };
    });
  }
}

function partnerOf(userId: string, d: StoredCritique): string | null {
  const giver = String(d.giverId);
  const receiver = d.receiverId ? String(d.receiverId) : null;
  return giver === userId ? receiver : giver;
}

/** Only critiques the user gave or received: the filter always starts from the user. */
export function reviewFilter(userId: string, f: ReviewFilter): Record<string, unknown> {
  const me = new Types.ObjectId(userId);
  const partner = f.partnerId ? new Types.ObjectId(f.partnerId) : undefined;
  const sides: Record<string, unknown>[] = [];
  if (f.role !== 'received') sides.push({ giverId: me, ...(partner && { receiverId: partner }) });
  if (f.role !== 'given') sides.push({ receiverId: me, ...(partner && { giverId: partner }) });
  const filter: Record<string, unknown> = sides.length === 1 ? { ...sides[0] } : { $or: sides };
  if (f.category) filter.category = f.category;
  if (f.regionId) filter.regionId = f.regionId;
  if (f.tag) filter.tags = f.tag;
  if (f.verdict) filter.verdict = f.verdict;
  if (f.status) filter.status = f.status;
  if (f.from || f.to) filter.exchangeDate = { ...(f.from && { $gte: f.from }), ...(f.to && { $lte: f.to }) };
  return filter;
}
