import * as Y from 'yjs';
import { addAnnotation, addReply, setAnnotationStatus } from '@kneadback/shared/docs/debrief-doc';
import { SERVER_ORIGIN } from '@kneadback/shared/docs/origins';
import type { AnnotationInput } from '@kneadback/shared/schemas/annotation';
import { mongoDocStore } from '../collab/mongo-doc-store.ts';
import { ProjectionStates } from '../features/debriefs/model.ts';
import { DebriefProjector } from '../features/debriefs/projector.ts';
import { exchangeModel } from '../features/exchanges/model.ts';
import { ReviewShards } from '../features/review/review-shards.ts';
import type { SeedContext } from './main.ts';

const at = (region: string, x: number, y: number) => ({
  view: region.startsWith('posterior') ? ('posterior' as const) : ('anterior' as const),
  x,
  y,
  regionId: region,
});

/** Two past exchanges between the demo therapists, so Review and carried-forward items show something. */
const DEMO_EXCHANGES: {
  date: string;
  marks: (AnnotationInput & { by: 'a' | 'b'; resolved?: boolean; reply?: string })[];
}[] = [
  {
    date: '2026-10-30',
    marks: [
      {
        by: 'b',
        round: 1,
        category: 'pressure',
        pressure: 8,
        verdict: 'too-deep',
        wanted: 6,
        position: at('posterior-upper-trapezius-left', 170, 149),
        text: 'Too much on the left upper trap',
        reply: 'Was it the angle or the depth?',
      },
      {
        by: 'b',
        round: 1,
        category: 'thumb-technique',
        tags: ['hyperextended-thumb'],
        position: at('posterior-rhomboids-right', 222, 215),
        text: 'Thumb joint bends back on the rhomboids',
      },
      {
        by: 'b',
        round: 1,
        category: 'praise',
        tags: ['great-transition'],
        position: at('posterior-lumbar-erector-spinae-left', 193, 365),
        resolved: true,
      },
      {
        by: 'a',
        round: 2,
        category: 'habit',
        tags: ['rushing', 'losing-contact'],
        position: at('posterior-hamstrings-left', 166, 525),
        text: 'Strokes felt rushed on the legs',
      },
    ],
  },
  {
    date: '2026-11-13',
    marks: [
      {
        by: 'b',
        round: 1,
        category: 'pressure',
        pressure: 7,
        verdict: 'too-deep',
        position: at('posterior-upper-trapezius-left', 168, 152),
        text: 'Still a bit deep here',
      },
      {
        by: 'a',
        round: 2,
        category: 'pressure',
        pressure: 3,
        verdict: 'too-light',
        wanted: 6,
        position: at('posterior-gluteus-maximus-right', 233, 454),
      },
    ],
  },
];

export async function seedDemoDebriefs(ctx: SeedContext): Promise<void> {
  const [ana, ben] = [...ctx.users.values()];
  if (!ana || !ben) return;
  const Exchanges = exchangeModel(ctx.connection);
  if (await Exchanges.exists({ partnerA: ana.id, partnerB: ben.id })) return;

  const store = mongoDocStore(ctx.connection);
  const projector = new DebriefProjector({
    states: new ProjectionStates(ctx.connection),
    shards: new ReviewShards(ctx.connection),
    contextOf: async (exchangeId) => {
      const ex = await Exchanges.findById(exchangeId).lean();
      return ex ? { exchangeDate: ex.date, partnerA: ana.id, partnerB: ben.id } : null;
    },
    logger: ctx.logger,
  });
  for (const demo of DEMO_EXCHANGES) {
    const exchange = await Exchanges.create({ partnerA: ana.id, partnerB: ben.id, date: demo.date, roundMinutes: 60 });
    const doc = new Y.Doc();
    const now = Date.parse(`${demo.date}T18:00:00Z`);
    for (const [i, { by, resolved, reply, ...input }] of demo.marks.entries()) {
      const author = by === 'a' ? ana.id : ben.id;
      const mark = addAnnotation(doc, author, input, { now: now + i * 60_000, origin: SERVER_ORIGIN });
      if (reply)
        addReply(doc, mark.id, by === 'a' ? ben.id : ana.id, { text: reply }, { now: now + i * 60_000 + 30_000 });
      if (resolved)
        setAnnotationStatus(doc, mark.id, 'resolved', author, { now: now + 3_600_000, origin: SERVER_ORIGIN });
    }
    const docId = exchange._id.toHexString();
    await store.compact(docId, Y.encodeStateAsUpdate(doc), 0, true);
    await projector.projectOnce(docId, doc);
  }
  ctx.logger.info({ count: DEMO_EXCHANGES.length }, 'demo exchanges and debriefs created');
}
