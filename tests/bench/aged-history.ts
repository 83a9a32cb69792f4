// Ages an embedded FerretDB the way months of use would have: therapists with their profiles and
// the sign-in sessions months leave behind, exchanges with both partners' calendar entries, and
// debriefs edited over several sittings, every edit a real Yjs update made with the document
// module and written through the real store (mongoDocStore) on a simulated clock: the log
// windows of their time, a snapshot every `compactEvery` updates and a closing one when the room
// would unload, windows swept (dropped) as the hub sweeps them.
// What is condensed, to age 1,000,000 updates in minutes rather than hours (on FerretDB/SQLite a
// snapshot write passes over its whole bucket of 30 KB rows: it was most of the time): the appends
// of one 10-minute window go out in one group commit (the live server commits every few
// milliseconds; the window's collection holds the same entries either way), and of each debrief's
// snapshots only the closing one after its last sitting is written. The others (one every
// `compactEvery` updates and one per earlier sitting) are counted, not written: that last one
// overwrites each of them in the same row. So the store's sweep, which drops a window only once
// snapshots cover it, would keep windows for days here: instead each window is dropped an hour
// after its own, when every sitting that wrote to it has ended, as the sweep would have dropped it
// after their closing snapshots (nothing reads the log of a debrief closed cleanly).
// Written directly in their final shapes, with the server's record builders and collections:
// users, sessions, profiles, exchanges and calendar entries, Review collections and projection
// states (what the projector would have written once a debrief was last closed) and each user's
// notifications; each one-time move whose marker a current server would have set (calendars,
// notifications per user) is marked done through runOnce, as a server running all along would.
import { createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import mongoose from 'mongoose';
import * as Y from 'yjs';
import { BODY_REGIONS } from '@kneadback/shared/body/index';
import {
  addAnnotation,
  addReply,
  moveAnnotation,
  readAnnotations,
  readThread,
  setAnnotationStatus,
  toggleReaction,
  updateAnnotation,
} from '@kneadback/shared/docs/debrief-doc';
import { bindDevices, SERVER_DEVICE } from '@kneadback/shared/docs/devices';
import { REACTIONS } from '@kneadback/shared/schemas/annotation';
import {
  DAY_PARTS,
  LANGUAGES,
  PLACES,
  PROFILE_PARTS,
  SUGGESTED_SPECIALTIES,
  WEEKDAYS,
} from '@kneadback/shared/profile-vocabulary';
import { CATEGORIES, MODALITIES, PRESSURE_VERDICTS, STARTER_TAGS } from '@kneadback/shared/vocabulary';
import { LOG_WINDOW_MS, logWindowName, mongoDocStore } from '../../server/src/collab/mongo-doc-store.ts';
import { dropIfExists, runOnce } from '../../server/src/db/migrations.ts';
import { REPO_ROOT } from '../../server/src/config.ts';
import { authModels, type SessionRecord } from '../../server/src/features/auth/model.ts';
import { SESSION_COOKIE } from '../../server/src/features/auth/session-cookie.ts';
import { projectCritique } from '../../server/src/features/debriefs/critique-record.ts';
import { ProjectionStates, type ProjectionState } from '../../server/src/features/debriefs/model.ts';
import { dayStart, type CalendarEntry } from '../../server/src/features/exchanges/calendar.ts';
import { exchangeModel } from '../../server/src/features/exchanges/model.ts';
import {
  moveNotificationsToPerUserCollections,
  notificationCollections,
  type NotificationDoc,
} from '../../server/src/features/notifications/model.ts';
import { PerUserCollections } from '../../server/src/db/per-user-collections.ts';
import type { CritiqueRecord } from '@kneadback/shared/schemas/critique';
import { Rng } from '../helpers/seeded-random.ts';

export interface AgingOptions {
  debriefs: number;
  /** Stored updates in all, spread over the debriefs by their number of marks. */
  updates: number;
  users: number;
  /** Sign-in sessions per user over the period (the server never deletes expired ones). */
  sessionsPerUser: number;
  days: number;
  /** Marks per debrief, [min, max]. */
  marks: readonly [number, number];
  /** At most this many appends in one group commit (all of a log window's otherwise). */
  batchMax: number;
  /** As the hub: a snapshot after this many stored updates of one room. */
  compactEvery: number;
  /** The SESSION_SECRET the server will run with (session cookies are HMAC'd with it). */
  sessionSecret: string;
  /** Debriefs handed back with their partners' cookies, for cold joins. */
  targets: number;
  seed: number;
  log: (line: string) => void;
}

export interface StoredDebrief {
  id: string;
  cookieA: string;
  cookieB: string;
}

export interface AgingResult {
  targets: StoredDebrief[];
  users: number;
  sessions: number;
  debriefs: number;
  storedUpdates: number;
  compactions: number;
  windowsWritten: number;
  notifications: number;
  critiques: number;
  /** Mean bytes of Y.encodeStateAsUpdate of a debrief after its last closing compaction. */
  meanStateBytes: number;
  seconds: number;
}

interface Plan {
  index: number;
  id: mongoose.Types.ObjectId;
  a: number;
  b: number;
  date: string;
  marks: number;
  /** Start time and number of updates of each sitting. */
  sittings: { start: number; updates: number }[];
}

type StoreEvent =
  | { t: number; kind: 'append'; docId: string; seq: number; update: Uint8Array }
  | { t: number; kind: 'compact'; docId: string; state: Uint8Array; upToSeq: number; closing: boolean };

interface LiveDebrief {
  plan: Plan;
  state: Uint8Array | null;
  seq: number;
  markIds: { id: string; category: string; author: number }[];
  entryIds: string[];
  nextSitting: number;
}

const DAY_MS = 86_400_000;
/** A window is dropped this many windows after its own: every sitting that wrote to it has ended. */
const DROP_AFTER_WINDOWS = 6;
const PHRASES = [
  'Too much on the left upper trap',
  'lovely slow entry, stay there longer',
  'thumb angle felt sharp near the scapula',
  'could sink in a bit more on the exhale',
  'rhythm rushed towards the end of the round',
  'great use of body weight here',
  'forearm glide was smooth, keep it',
  'check in before going deeper on the IT band',
  'hand placement drifted off the muscle belly',
  'breathing cue helped me let go',
  'pressure dropped when you changed sides',
  'the transition from back to neck felt abrupt',
];

function sentence(rng: Rng, min: number, max: number): string {
  const target = rng.int(min, max);
  let out = rng.pick(PHRASES);
  while (out.length < target) out += (rng.bool(0.5) ? '; ' : ', ') + rng.pick(PHRASES).toLowerCase();
  return out.slice(0, target);
}

function position(rng: Rng) {
  const region = rng.pick(BODY_REGIONS);
  return { view: region.view, x: rng.int(20, 380), y: rng.int(20, 780), regionId: region.id };
}

/** A plain binary min-heap of the next event time of each running sitting. */
class Heap<T> {
  private items: { key: number; value: T }[] = [];
  get size(): number {
    return this.items.length;
  }
  peekKey(): number {
    return this.items[0]?.key ?? Infinity;
  }
  push(key: number, value: T): void {
    const a = this.items;
    a.push({ key, value });
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (a[p]!.key <= a[i]!.key) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): T {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.key < a[m]!.key) m = l;
        if (r < a.length && a[r]!.key < a[m]!.key) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top.value;
  }
}

/** One argon2 hash for every seeded account (hashing is what makes sign-up slow). */
async function passwordHash(): Promise<string> {
  const serverRequire = createRequire(path.join(REPO_ROOT, 'server', 'package.json'));
  const argon2 = serverRequire('@node-rs/argon2') as { hash(pw: string, o: object): Promise<string> };
  return argon2.hash('aged-Secret-1', { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
}

export async function ageDatabase(uri: string, o: AgingOptions): Promise<AgingResult> {
  const started = performance.now();
  const rng = new Rng(o.seed);
  const connection = await mongoose.createConnection(uri).asPromise();
  let clock = 0;
  const store = mongoDocStore(connection, () => clock);
  const { User, sessions: sessionBuckets } = authModels(connection);
  const Exchanges = exchangeModel(connection);
  const states = new ProjectionStates(connection);
  const notificationsOf = notificationCollections(connection);
  const calendars = new PerUserCollections<CalendarEntry>(connection, 'exchange_calendar');
  await Promise.all(Object.values(connection.models).map((m) => m.init()));

  const end = Date.now() - DAY_MS; // simulated history ends a day ago: its windows are all past
  const begin = end - o.days * DAY_MS;

  // ---- therapists and the sign-in sessions months of use leave behind ----
  const hash = await passwordHash();
  const userIds = Array.from({ length: o.users }, () => new mongoose.Types.ObjectId());
  const names = userIds.map((_, i) => `Therapist ${i}`);
  const tokens: string[] = [];
  const tokenHash = (token: string) => createHmac('sha256', o.sessionSecret).update(token).digest('hex');
  for (let i = 0; i < o.users; i += 1_000) {
    const users = userIds.slice(i, i + 1_000).map((_id, j) => ({
      _id,
      email: `therapist-${i + j}-${o.seed}@aged.kneadback.test`,
      passwordHash: hash,
      displayName: names[i + j]!,
      modalities: [],
      city: '',
      createdAt: new Date(begin),
      updatedAt: new Date(begin),
    }));
    await User.insertMany(users, { lean: true, ordered: false });
    await connection.collection('profiles').insertMany(users.map(({ _id }) => profile(rng, _id, new Date(begin))));
  }
  let sessions = 0;
  const sessionDocs: SessionRecord[] = [];
  const flushSessions = async () => {
    const byBucket = new Map<string, SessionRecord[]>();
    for (const doc of sessionDocs.splice(0)) {
      const name = sessionBuckets.nameOf(doc._id);
      byBucket.set(name, [...(byBucket.get(name) ?? []), doc]);
    }
    for (const rows of byBucket.values()) await sessionBuckets.of(rows[0]!._id).insertMany(rows, { ordered: false });
  };
  for (let u = 0; u < o.users; u++) {
    for (let s = 0; s < o.sessionsPerUser; s++) {
      // the last one is current (its token is kept for the cold joins), earlier ones expired or forgotten
      const token = randomBytes(32).toString('base64url');
      const createdAt =
        s === o.sessionsPerUser - 1 ? end : begin + ((s + rng.next()) / o.sessionsPerUser) * (end - begin);
      if (s === o.sessionsPerUser - 1) tokens[u] = token;
      sessionDocs.push({
        _id: tokenHash(token),
        userId: userIds[u]!,
        createdAt: new Date(createdAt),
        expiresAt: new Date(createdAt + 30 * DAY_MS),
      });
      sessions++;
    }
    if (sessionDocs.length >= 2_000) await flushSessions();
  }
  await flushSessions();
  o.log(`  ${o.users} users, ${sessions} sessions (${((performance.now() - started) / 1000).toFixed(1)}s)`);

  // ---- the plan: who, when, how many marks and updates per debrief ----
  const plans: Plan[] = [];
  for (let i = 0; i < o.debriefs; i++) {
    const a = rng.int(0, o.users - 1);
    let b = rng.int(0, o.users - 1);
    while (b === a) b = rng.int(0, o.users - 1);
    const day = begin + Math.floor(((i + rng.next()) / o.debriefs) * o.days) * DAY_MS;
    plans.push({
      index: i,
      id: new mongoose.Types.ObjectId(),
      a,
      b,
      date: new Date(day).toISOString().slice(0, 10),
      marks: rng.int(o.marks[0], o.marks[1]),
      sittings: [],
    });
  }
  const totalMarks = plans.reduce((n, p) => n + p.marks, 0);
  for (const p of plans) {
    // every mark is added (1 update) and its devices bound (1 per partner and sitting): the rest edits
    const budget = Math.max(p.marks + 4, Math.round((o.updates * p.marks) / totalMarks));
    const count = budget < 60 ? 1 : budget < 150 ? 2 : 3;
    const day0 = Date.parse(`${p.date}T00:00:00Z`);
    let left = budget;
    let dayOffset = 0;
    for (let s = 0; s < count; s++) {
      const updates = s === count - 1 ? left : Math.round(budget * (s === 0 ? 0.6 : 0.4 / (count - 1)));
      left -= updates;
      // the exchange day between 9:00 and 19:00, later sittings days apart
      if (s > 0) dayOffset += rng.int(1, 10);
      p.sittings.push({ start: day0 + dayOffset * DAY_MS + rng.int(9 * 60, 19 * 60) * 60_000, updates });
    }
  }
  for (let i = 0; i < plans.length; i += 1_000) {
    await Exchanges.insertMany(
      plans.slice(i, i + 1_000).map((p) => ({
        _id: p.id,
        partnerA: userIds[p.a],
        partnerB: userIds[p.b],
        inviteToken: null,
        inviteExpiresAt: null,
        inviteRevokedAt: null,
        date: p.date,
        roundMinutes: 60,
        createdAt: new Date(p.sittings[0]!.start - DAY_MS),
        updatedAt: new Date(p.sittings[0]!.start - DAY_MS),
      })),
      { lean: true, ordered: false },
    );
  }

  // every exchange was booked in both partners' calendars when it was made (invite links, a day only)
  await runOnce(connection, 'exchange-calendars', async () => {
    const byUser = new Map<number, CalendarEntry[]>();
    const entry = (p: Plan, other: number): CalendarEntry => {
      const startsAt = dayStart(p.date);
      return {
        _id: p.id,
        partnerId: userIds[other]!,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 120 * 60_000),
        timed: false,
        givenMinutes: 60,
        receivedMinutes: 60,
        cancelledAt: null,
      };
    };
    for (const p of plans) {
      for (const [me, other] of [
        [p.a, p.b],
        [p.b, p.a],
      ] as const) {
        const list = byUser.get(me) ?? [];
        list.push(entry(p, other));
        byUser.set(me, list);
      }
    }
    for (const [u, list] of byUser) await calendars.of(userIds[u]!.toHexString()).insertMany(list);
    return { booked: plans.length };
  });
  o.log(`  ${plans.length} exchanges in calendars (${((performance.now() - started) / 1000).toFixed(1)}s)`);

  // ---- the sittings, merged in time order ----
  const live = new Map<number, LiveDebrief>(
    plans.map((p) => [p.index, { plan: p, state: null, seq: 0, markIds: [], entryIds: [], nextSitting: 0 }]),
  );
  const starts = plans
    .flatMap((p) => p.sittings.map((s, k) => ({ t: s.start, index: p.index, k })))
    .sort((x, y) => x.t - y.t);
  const running = new Heap<{ events: StoreEvent[]; next: number }>();
  const notifications = new Map<string, NotificationDoc[]>();
  let notificationCount = 0;
  let stateBytes = 0;
  let storedUpdates = 0;
  let compactions = 0;
  /** Snapshots a live server would have written that the closing one after the last sitting overwrote. */
  let overwrittenSnapshots = 0;
  let critiques = 0;
  const windowsWritten = new Set<number>();
  const projection = {
    critiques: 0,
    states: [] as ProjectionState[],
    review: new Map<string, CritiqueRecord[]>(),
  };

  /** Plays one sitting on the debrief's document; returns its store events, in time order. */
  const playSitting = (d: LiveDebrief, start: number, count: number): StoreEvent[] => {
    const p = d.plan;
    const docId = p.id.toHexString();
    const doc = new Y.Doc({ gc: true });
    if (d.state) Y.applyUpdate(doc, d.state);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const serverClient = doc.clientID;
    const clients = [rng.int(1, 2 ** 31), rng.int(1, 2 ** 31)];
    const bound = [false, false];
    const users = [p.a, p.b];
    const duration = rng.int(15, 50) * 60_000;
    const events: StoreEvent[] = [];
    let sinceCompaction = 0;
    const at = (n: number) => start + Math.floor((duration * n) / Math.max(1, count));
    const as = (who: 0 | 1, change: () => void) => {
      if (!bound[who]) {
        // the room binds a device to its person, in a change of its own, before the device's first change
        doc.clientID = serverClient;
        doc.transact(() =>
          bindDevices(
            doc,
            new Map([
              [serverClient, SERVER_DEVICE],
              [clients[who]!, userIds[users[who]!]!.toHexString()],
            ]),
          ),
        );
        bound[who] = true;
      }
      doc.clientID = clients[who]!;
      change();
    };
    const userId = (who: 0 | 1) => userIds[users[who]!]!.toHexString();
    const notify = (to: 0 | 1, kind: NotificationDoc['kind'], t: number, annotationId: string | null = null) => {
      const list = notifications.get(userId(to)) ?? [];
      notifications.set(userId(to), list);
      notificationCount++;
      list.push({
        _id: new mongoose.Types.ObjectId(),
        kind,
        actorId: userIds[users[1 - to]!]!,
        actorName: names[users[1 - to]!]!,
        exchangeId: p.id,
        annotationId,
        text: `${names[users[1 - to]!]} ${kind === 'reply' ? 'replied to a mark' : kind === 'resolved' ? 'resolved a mark' : 'joined the debrief'}`,
        createdAt: new Date(t),
        readAt: t < end - 7 * DAY_MS || rng.bool(0.5) ? new Date(t + 3_600_000) : null,
      });
    };
    notify(0, 'partner-joined-debrief', start);
    notify(1, 'partner-joined-debrief', start);
    const firstSitting = d.state === null;
    let toAdd = firstSitting ? p.marks : 0;
    while (updates.length < count) {
      const n = updates.length;
      const t = at(n);
      const who: 0 | 1 = rng.bool() ? 0 : 1;
      const mark = d.markIds.length > 0 ? rng.pick(d.markIds) : null;
      const roll = rng.next();
      if (toAdd > 0 && (mark === null || roll < 0.4 || count - n <= toAdd + 2)) {
        const round = rng.bool() ? 1 : 2;
        const author: 0 | 1 = round === 1 ? 1 : 0; // the receiver of a round writes its critiques
        const category = rng.pick(CATEGORIES);
        const pressure = category === 'pressure';
        as(author, () => {
          const a = addAnnotation(
            doc,
            userId(author),
            {
              round,
              position: position(rng),
              category,
              pressure: pressure ? rng.int(1, 10) : null,
              verdict: pressure ? rng.pick(PRESSURE_VERDICTS) : null,
              tags: pressure || STARTER_TAGS[category].length === 0 ? [] : [rng.pick(STARTER_TAGS[category])],
              text: sentence(rng, 10, 60),
            },
            { now: t },
          );
          d.markIds.push({ id: a.id, category, author });
        });
        toAdd--;
      } else if (mark === null) {
        break;
      } else if (roll < 0.45) {
        // a note typed and revised: the text is stored as a whole on each change
        as(mark.author as 0 | 1, () => updateAnnotation(doc, mark.id, { text: sentence(rng, 20, 240) }, { now: t }));
      } else if (roll < 0.55) {
        as(mark.author as 0 | 1, () => moveAnnotation(doc, mark.id, position(rng), { now: t }));
      } else if (roll < 0.62 && mark.category === 'pressure') {
        as(mark.author as 0 | 1, () =>
          updateAnnotation(
            doc,
            mark.id,
            { pressure: rng.int(1, 10), verdict: rng.pick(PRESSURE_VERDICTS) },
            { now: t },
          ),
        );
      } else if (roll < 0.85) {
        as(who, () =>
          d.entryIds.push(addReply(doc, mark.id, userId(who), { text: sentence(rng, 15, 200) }, { now: t }).id),
        );
        notify((1 - who) as 0 | 1, 'reply', t, mark.id);
      } else if (roll < 0.93) {
        const status = readAnnotations(doc, () => undefined).find((a) => a.id === mark.id)?.status;
        as(who, () =>
          setAnnotationStatus(doc, mark.id, status === 'resolved' ? 'open' : 'resolved', userId(who), { now: t }),
        );
        notify((1 - who) as 0 | 1, status === 'resolved' ? 'reopened' : 'resolved', t, mark.id);
      } else if (d.entryIds.length > 0) {
        as(who, () => toggleReaction(doc, rng.pick(d.entryIds), userId(who), rng.pick(REACTIONS)));
      } else {
        as(mark.author as 0 | 1, () => updateAnnotation(doc, mark.id, { text: sentence(rng, 20, 240) }, { now: t }));
      }
      // every update the loop produced (a device binding and the change) is stored, in order
      for (let k = n; k < updates.length; k++) {
        events.push({ t, kind: 'append', docId, seq: ++d.seq, update: updates[k]! });
        if (++sinceCompaction >= o.compactEvery) {
          sinceCompaction = 0;
          overwrittenSnapshots++;
        }
      }
    }
    // the room unloads a few seconds after both partners left: a closing snapshot, written after
    // the last sitting only (see the header)
    d.state = Y.encodeStateAsUpdate(doc);
    d.nextSitting++;
    if (d.nextSitting === p.sittings.length)
      events.push({
        t: start + duration + 5_000,
        kind: 'compact',
        docId,
        state: d.state,
        upToSeq: d.seq,
        closing: true,
      });
    else overwrittenSnapshots++;
    if (d.nextSitting === p.sittings.length) {
      stateBytes += d.state.length;
      project(d, doc);
    }
    doc.destroy();
    return events;
  };

  /** What the projector would have written once the debrief was last closed. */
  const project = (d: LiveDebrief, doc: Y.Doc) => {
    const p = d.plan;
    const exchangeId = p.id.toHexString();
    const ctx = { exchangeDate: p.date, partnerA: userIds[p.a]!.toHexString(), partnerB: userIds[p.b]!.toHexString() };
    const thread = readThread(doc, undefined, () => undefined);
    const hashes: Record<string, string> = {};
    for (const a of readAnnotations(doc, () => undefined)) {
      const projected = projectCritique(
        exchangeId,
        a,
        thread.filter((t) => t.annotationId === a.id),
        ctx,
      );
      hashes[a.id] = projected.hash;
      projection.critiques++;
      for (const { userId, record } of projected.records) {
        const list = projection.review.get(userId) ?? [];
        list.push(record);
        projection.review.set(userId, list);
      }
    }
    projection.states.push({ _id: exchangeId, hashes, threadIds: thread.map((t) => t.id) });
  };

  const flushProjection = async (all: boolean) => {
    if (!all && projection.critiques < 5_000) return;
    critiques += projection.critiques;
    projection.critiques = 0;
    await inParallel(projection.states.splice(0), 8, (state) => states.put(state));
    for (const [userId, entries] of projection.review) {
      if (!all && entries.length < 200) continue;
      await connection.collection<CritiqueRecord>(`review_${userId}`).insertMany(entries, { ordered: false });
      projection.review.delete(userId);
    }
    for (const [userId, list] of notifications) {
      if (!all && list.length < 100) continue;
      await notificationsOf.of(userId).insertMany(list, { ordered: false });
      notifications.delete(userId);
    }
  };

  // ---- the event loop: one group commit per log window on the simulated clock ----
  let startIdx = 0;
  let batch: Extract<StoreEvent, { kind: 'append' }>[] = [];
  /** The newest compaction of each document queued in the window: it overwrites the older ones. */
  const pendingCompactions = new Map<string, Extract<StoreEvent, { kind: 'compact' }>>();
  let pendingWindow = -1;
  const unswept: number[] = [];
  let lastReport = performance.now();
  const windowOf = (t: number) => Math.floor(t / LOG_WINDOW_MS);
  const flush = async () => {
    clock = pendingWindow * LOG_WINDOW_MS;
    if (batch.length > 0) {
      windowsWritten.add(pendingWindow);
      await store.appendMany(batch);
      storedUpdates += batch.length;
      batch = [];
    }
    // the writer runs a room's compaction after the appends queued before it
    await inParallel([...pendingCompactions.values()], 8, (c) => store.compact(c.docId, c.state, c.upToSeq, c.closing));
    pendingCompactions.clear();
    if (unswept.at(-1) !== pendingWindow) unswept.push(pendingWindow);
    while (unswept.length > 0 && unswept[0]! < pendingWindow - DROP_AFTER_WINDOWS) {
      await dropIfExists(connection.collection(logWindowName(unswept.shift()! * LOG_WINDOW_MS)));
    }
    await flushProjection(false);
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      o.log(
        `  ${new Date(clock).toISOString().slice(0, 10)}: ${storedUpdates} updates stored, ${compactions} snapshots (${((performance.now() - started) / 1000).toFixed(0)}s)`,
      );
    }
  };
  while (startIdx < starts.length || running.size > 0) {
    const nextStart = starts[startIdx]?.t ?? Infinity;
    if (nextStart <= running.peekKey()) {
      const s = starts[startIdx++]!;
      const d = live.get(s.index)!;
      const events = playSitting(d, s.t, d.plan.sittings[s.k]!.updates);
      if (events.length > 0) running.push(events[0]!.t, { events, next: 0 });
      continue;
    }
    const r = running.pop();
    const e = r.events[r.next++]!;
    if (r.next < r.events.length) running.push(r.events[r.next]!.t, r);
    const pending = batch.length > 0 || pendingCompactions.size > 0;
    if (pending && (windowOf(e.t) !== pendingWindow || batch.length >= o.batchMax)) await flush();
    pendingWindow = windowOf(e.t);
    if (e.kind === 'append') batch.push(e);
    else {
      compactions++;
      pendingCompactions.set(e.docId, e);
    }
  }
  await flush();
  // the hub sweeps every 30 s: by now every window of the past is dropped
  for (const window of unswept) await dropIfExists(connection.collection(logWindowName(window * LOG_WINDOW_MS)));
  await flushProjection(true);
  // written per user all along: the server's move from the one old collection finds nothing to move
  await moveNotificationsToPerUserCollections(connection);
  await connection.close();

  const step = Math.max(1, Math.floor(plans.length / o.targets));
  const targets = plans
    .filter((_, i) => i % step === 0)
    .slice(0, o.targets)
    .map((p) => ({
      id: p.id.toHexString(),
      cookieA: `${SESSION_COOKIE}=${tokens[p.a]}`,
      cookieB: `${SESSION_COOKIE}=${tokens[p.b]}`,
    }));
  return {
    targets,
    users: o.users,
    sessions,
    debriefs: plans.length,
    storedUpdates,
    compactions: compactions + overwrittenSnapshots,
    windowsWritten: windowsWritten.size,
    notifications: notificationCount,
    critiques,
    meanStateBytes: stateBytes / plans.length,
    seconds: (performance.now() - started) / 1000,
  };
}

const some = <T>(rng: Rng, xs: readonly T[], max: number): T[] => [
  ...new Set(Array.from({ length: rng.int(1, max) }, () => rng.pick(xs))),
];

/** A therapist's profile as the profile screen writes it (the shape bench:partners seeds). */
function profile(rng: Rng, _id: mongoose.Types.ObjectId, at: Date) {
  const place = rng.pick(PLACES);
  const modalities = some(rng, MODALITIES, 3);
  return {
    _id,
    bio: sentence(rng, 80, 400),
    modalityYears: modalities.map((modality) => ({ modality, years: rng.int(0, 20) })),
    specialties: some(rng, SUGGESTED_SPECIALTIES, 3),
    certifications: rng.bool(0.2)
      ? [{ title: 'Instructor', modality: modalities[0]!, issuer: 'Aged school', year: 2015, qualifiesToTeach: true }]
      : [],
    languages: some(rng, LANGUAGES, 2),
    location: { lat: place.lat + (rng.next() - 0.5) * 0.3, lng: place.lng + (rng.next() - 0.5) * 0.3 },
    availability: some(rng, WEEKDAYS, 3).map((day) => ({ day, part: rng.pick(DAY_PARTS) })),
    openToExchanges: rng.bool(0.8),
    visibility: Object.fromEntries(PROFILE_PARTS.map((part) => [part, rng.bool(0.1) ? 'partners' : 'everyone'])),
    createdAt: at,
    updatedAt: at,
  };
}

/** Runs `fn` over `items`, at most `width` at a time. */
async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(fn));
}
