// The standard collab load, shared by bench:collab and bench:aged: N partner pairs connect to a
// running server, each partner to the same debrief from the pair's own loopback address, and
// edit their own mark at a jittered pace; every edit is timed until the partner's device shows it.
// The same load runs against our server (signed-up partners, their exchange's debrief) and the
// y-websocket reference server (any room name, no accounts): only the seats differ.
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { addAnnotation, readAnnotation, readAnnotations, updateAnnotation } from '@kneadback/shared/docs/debrief-doc';
import type { DebriefClient } from '../helpers/collab-client.ts';
import { connectDebriefFrom, loopbackAddress } from '../helpers/collab-client-from.ts';
import { createExchange, createPartners, upperTrapeziusPressure } from '../helpers/debrief-fixtures.ts';

// y-websocket's provider adds a process 'exit' listener per client; a load opens a thousand
process.setMaxListeners(0);

export const WARMUP_MS = 3_000;
const BURST_EDITS = 3;
const BURST_GAP_MS = 200;
/** Edits sent while measuring may still arrive this long after the last one was sent. */
const DRAIN_MS = 10_000;
/** Pairs whose devices have not synced this long after the first connected are left out. */
const CONNECT_TIMEOUT_MS = Number(process.env.BENCH_CONNECT_TIMEOUT_S ?? 120) * 1000;
/** The server's durable-time percentiles cover its last 4,096 stored updates. */
const DURABLE_WINDOW = 4_096;

/**
 * How often each client edits. `bursts`: 3 quick edits 200 ms apart, then a pause jittered ±1 s
 * around what gives `editsPerS` on average (human pace). `steady`: one edit every 0.5-1.5 times
 * the mean interval.
 */
export interface Pace {
  kind: 'bursts' | 'steady';
  editsPerS: number;
}

/** Human pace, about 0.75 edits/s per client. */
export const HUMAN_PACE: Pace = { kind: 'bursts', editsPerS: 0.75 };
/** 2 edits/s per client: 2,000 edits/s at 500 pairs. */
export const FAST_PACE: Pace = { kind: 'steady', editsPerS: 2 };
/** What bench:aged has always run: a burst every 2-4 s (about 0.83 edits/s). */
const DEFAULT_PACE: Pace = { kind: 'bursts', editsPerS: BURST_EDITS / (3 + (BURST_EDITS * BURST_GAP_MS) / 1000) };

export function describePace(p: Pace): string {
  return p.kind === 'bursts'
    ? `human pace (${p.editsPerS} edits/s per client, in bursts)`
    : `${p.editsPerS} edits/s per client`;
}

/** One debrief and how each partner connects to it. */
export interface Seat {
  exchangeId: string;
  a: { cookieHeader: string; userId: string };
  b: { cookieHeader: string; userId: string };
}

/** What the server reports about itself while the load runs. */
export interface ServerSample {
  rssMb: number;
  collab?: { persistedUpdates: number; durableP50Ms: number; durableP99Ms: number; rooms: number };
  /** The server's event-loop delay over its last complete second (ours only). */
  eventLoopDelay?: { p50Ms: number; p99Ms: number; maxMs: number };
}

export interface CollabLoadOptions {
  pairs: number;
  seconds: number;
  /** Debriefs to edit (at least `pairs`); by default `pairs` fresh partner pairs are signed up. */
  seats?: Seat[];
  pace?: Pace;
  /** How to read the server's memory and stats; by default our /healthz. */
  sample?: () => Promise<ServerSample>;
  /** Progress lines (bench:collab prints them as they were). */
  log?: (line: string) => void;
}

export interface CollabLoadResult {
  pairs: number;
  /** Seconds until every pair was connected and synced (or left out). */
  connectS: number;
  /** Pairs left out: not synced within CONNECT_TIMEOUT_MS. */
  notSynced: number;
  /** Edits sent while measuring, and per client per second. */
  sent: number;
  editsPerClientPerS: number;
  measured: number;
  /** Sent while measuring and not shown by the partner within DRAIN_MS of the end. */
  unmatched: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  persistedPerS: number;
  peakRssMb: number;
  /** Arrival-to-stored time over the server's last 4,096 stored updates at the end (ours only). */
  durableP50Ms: number;
  durableP99Ms: number;
  /**
   * The highest of those p99s in 1 s samples taken once the run had stored 4,096 updates (so each
   * covers only the run: at 2,000 edits/s the last ~2 s); NaN when it stored fewer.
   */
  worstDurableP99Ms: number;
  serverCollab: unknown;
  clientLagP50Ms: number;
  clientLagP99Ms: number;
  /**
   * The server's event-loop delay, from its 1 s windows sampled during the run: the median and
   * the worst window's p99, and the longest single delay (NaN when the server does not report it).
   */
  serverLagMedianP99Ms: number;
  serverLagWorstP99Ms: number;
  serverLagMaxMs: number;
}

interface Pair {
  a: DebriefClient;
  b: DebriefClient;
  markA: string;
  markB: string;
}

export async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

export async function health(url: string): Promise<Required<ServerSample>> {
  return (await fetch(`${url}/healthz`)).json() as never;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * `n` debriefs on our server: the exchanges of signed-up partners, `perPair` exchanges (on
 * different days) per pair. Sharing keeps the sign-ups (a password hash each) from dominating the
 * run; each partner then has `perPair` live connections (the server allows 20 per user).
 */
export async function partnerSeats(server: { url: string }, n: number, perPair = 10): Promise<Seat[]> {
  const groups = await inBatches([...Array(Math.ceil(n / perPair)).keys()], 10, async (g): Promise<Seat[]> => {
    const p = await createPartners(server);
    const a = { cookieHeader: p.a.cookieHeader, userId: p.a.user.id };
    const b = { cookieHeader: p.b.cookieHeader, userId: p.b.user.id };
    const seats: Seat[] = [{ exchangeId: p.exchangeId, a, b }];
    for (let day = 1; day < Math.min(perPair, n - g * perPair); day++) {
      const date = new Date(Date.UTC(2026, 0, day)).toISOString().slice(0, 10);
      seats.push({ exchangeId: await createExchange(p, date), a, b });
    }
    return seats;
  });
  return groups.flat();
}

/** `n` rooms on a server without accounts (the reference): any name, no cookie. */
export function anonymousSeats(n: number): Seat[] {
  const id = () => randomBytes(12).toString('hex'); // marks name their author by an ObjectId
  return Array.from({ length: n }, () => ({
    exchangeId: id(),
    a: { cookieHeader: '', userId: id() },
    b: { cookieHeader: '', userId: id() },
  }));
}

/** `partnerUrl`: where partner b connects (another server process); by default `url` too. */
function connectSeat(url: string, seat: Seat, i: number, partnerUrl = url): { a: DebriefClient; b: DebriefClient } {
  const from = loopbackAddress(i); // the server allows 200 live connections per address
  return {
    a: connectDebriefFrom(from, url, seat.a.cookieHeader, seat.exchangeId),
    b: connectDebriefFrom(from, partnerUrl, seat.b.cookieHeader, seat.exchangeId),
  };
}

export interface LoadRunOptions {
  seconds: number;
  pace?: Pace;
  /** How to read the server's memory and stats; by default our /healthz. */
  sample?: () => Promise<ServerSample>;
}

/** N pairs connected and synced, each partner with a mark of their own; runs the load on them. */
export interface CollabLoad {
  pairs: number;
  /** Seconds until every pair was connected and synced (or left out). */
  connectS: number;
  /** Pairs left out: not synced within CONNECT_TIMEOUT_MS. */
  notSynced: number;
  run(opts: LoadRunOptions): Promise<CollabLoadResult>;
  close(): void;
}

/** Runs the load against `server` and resolves with its figures once every client is closed. */
export async function runCollabLoad(server: { url: string }, opts: CollabLoadOptions): Promise<CollabLoadResult> {
  const load = await openCollabLoad(server, opts);
  try {
    return await load.run(opts);
  } finally {
    load.close();
  }
}

/** Connects `opts.pairs` pairs (signing them up first unless `opts.seats` is given). */
export async function openCollabLoad(
  /** `partnerUrl`: partner b of every pair connects there (another server process). */
  server: { url: string; partnerUrl?: string },
  opts: Pick<CollabLoadOptions, 'pairs' | 'seats' | 'log'>,
): Promise<CollabLoad> {
  const log = opts.log ?? ((line: string) => console.log(line));
  /** Edit text → when it was sent and whether it counts. */
  const sentAt = new Map<string, { at: number; measured: boolean }>();
  let latencies: number[] = [];
  let measuring = false;
  let sent = 0;
  let seq = 0;

  const listen = (receiver: DebriefClient, markId: string): void => {
    receiver.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin !== receiver.provider) return;
      const text = readAnnotation(receiver.doc, markId)?.text ?? '';
      const edit = sentAt.get(text);
      if (edit === undefined) return;
      sentAt.delete(text);
      if (edit.measured) latencies.push(performance.now() - edit.at);
    });
  };

  const edit = (client: DebriefClient, markId: string): void => {
    const text = `edit-${seq++}`;
    sentAt.set(text, { at: performance.now(), measured: measuring });
    if (measuring) sent++;
    updateAnnotation(client.doc, markId, { text });
  };

  const runEdits = async (pace: Pace, client: DebriefClient, markId: string, until: number): Promise<void> => {
    if (pace.kind === 'steady') {
      const mean = 1000 / pace.editsPerS;
      await sleep(Math.random() * mean);
      while (performance.now() < until) {
        edit(client, markId);
        await sleep(mean * (0.5 + Math.random()));
      }
      return;
    }
    const meanPause = (BURST_EDITS / pace.editsPerS) * 1000 - BURST_EDITS * BURST_GAP_MS;
    while (performance.now() < until) {
      await sleep(Math.max(0, meanPause - 1000 + Math.random() * 2000));
      for (let i = 0; i < BURST_EDITS && performance.now() < until; i++) {
        edit(client, markId);
        await sleep(BURST_GAP_MS);
      }
    }
  };

  let seats = opts.seats;
  if (!seats) {
    log(`signing up ${opts.pairs} pairs (${opts.pairs * 2} accounts and exchanges)...`);
    seats = await partnerSeats(server, opts.pairs);
  }
  log(`connecting ${opts.pairs} pairs (${opts.pairs * 2} live connections)...`);
  const connected: DebriefClient[] = [];
  const close = () => {
    for (const c of connected) c.destroy();
  };
  let pairs: Pair[];
  const connectStart = performance.now();
  try {
    const deadline = connectStart + CONNECT_TIMEOUT_MS;
    const connecting = await inBatches(
      [...seats.slice(0, opts.pairs).entries()],
      25,
      async ([i, seat]): Promise<Pair | null> => {
        if (performance.now() > deadline) return null;
        const { a, b } = connectSeat(server.url, seat, i, server.partnerUrl);
        connected.push(a, b);
        const synced = Promise.all([a.synced(), b.synced()]).then(() => true);
        if (!(await Promise.race([synced, sleep(deadline - performance.now()).then(() => false)]))) return null;
        // each partner edits a mark of their own: no edit is overwritten by a concurrent one
        const markA = addAnnotation(a.doc, seat.a.userId, upperTrapeziusPressure).id;
        const markB = addAnnotation(b.doc, seat.b.userId, upperTrapeziusPressure).id;
        return { a, b, markA, markB };
      },
    );
    pairs = connecting.filter((p): p is Pair => p !== null);
  } catch (err) {
    close();
    throw err;
  }
  const connectS = (performance.now() - connectStart) / 1000;
  const notSynced = opts.pairs - pairs.length;
  if (notSynced > 0) log(`${notSynced} pairs not synced within ${CONNECT_TIMEOUT_MS / 1000}s: left out`);
  for (const pair of pairs) {
    listen(pair.b, pair.markA);
    listen(pair.a, pair.markB);
  }

  const run = async (runOpts: LoadRunOptions): Promise<CollabLoadResult> => {
    const pace = runOpts.pace ?? DEFAULT_PACE;
    const sample = runOpts.sample ?? (() => health(server.url));
    sentAt.clear();
    latencies = [];
    sent = 0;
    log(`editing for ${runOpts.seconds}s after a ${WARMUP_MS / 1000}s warm-up, ${describePace(pace)}...`);
    const until = performance.now() + WARMUP_MS + runOpts.seconds * 1000;
    const editing = pairs.flatMap((p) => [runEdits(pace, p.a, p.markA, until), runEdits(pace, p.b, p.markB, until)]);
    await sleep(WARMUP_MS);
    measuring = true;
    // The simulated partners share this process: if its event loop lags, latencies include that lag.
    const clientLag = monitorEventLoopDelay({ resolution: 10 });
    clientLag.enable();
    const before = await sample();
    const t0 = performance.now();
    let peakRss = before.rssMb;
    let worstDurableP99 = NaN;
    const serverLags: { p99Ms: number; maxMs: number }[] = [];
    const noteDurable = (s: ServerSample): void => {
      const stored = (s.collab?.persistedUpdates ?? 0) - (before.collab?.persistedUpdates ?? 0);
      if (stored >= DURABLE_WINDOW) worstDurableP99 = Math.max(worstDurableP99 || 0, s.collab!.durableP99Ms);
    };
    const sampler = setInterval(
      () =>
        void sample().then(
          (s) => {
            peakRss = Math.max(peakRss, s.rssMb);
            noteDurable(s);
            if (s.eventLoopDelay) serverLags.push(s.eventLoopDelay);
          },
          () => undefined,
        ),
      1_000,
    );
    await Promise.all(editing);
    measuring = false;
    // a client's last pause may run past `until`: the edits were sent within t0..until
    const editingS = (until - t0) / 1000;
    const inFlight = () => [...sentAt.values()].filter((e) => e.measured).length;
    const drainUntil = performance.now() + DRAIN_MS;
    while (inFlight() > 0 && performance.now() < drainUntil) await sleep(50);
    clientLag.disable();
    clearInterval(sampler);
    const after = await sample();
    const sampledS = (performance.now() - t0) / 1000;
    noteDurable(after);
    const sorted = [...latencies].sort((x, y) => x - y);
    const lagP99s = serverLags.map((l) => l.p99Ms).sort((x, y) => x - y);
    return {
      pairs: opts.pairs,
      connectS,
      notSynced,
      sent,
      editsPerClientPerS: sent / editingS / (pairs.length * 2),
      measured: sorted.length,
      unmatched: inFlight(),
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.at(-1) ?? NaN,
      persistedPerS:
        after.collab && before.collab
          ? (after.collab.persistedUpdates - before.collab.persistedUpdates) / sampledS
          : NaN,
      peakRssMb: Math.max(peakRss, after.rssMb),
      durableP50Ms: after.collab?.durableP50Ms ?? NaN,
      durableP99Ms: after.collab?.durableP99Ms ?? NaN,
      worstDurableP99Ms: worstDurableP99,
      serverCollab: after.collab,
      clientLagP50Ms: clientLag.percentile(50) / 1e6,
      clientLagP99Ms: clientLag.percentile(99) / 1e6,
      serverLagMedianP99Ms: percentile(lagP99s, 50),
      serverLagWorstP99Ms: lagP99s.at(-1) ?? NaN,
      serverLagMaxMs: serverLags.length > 0 ? Math.max(...serverLags.map((l) => l.maxMs)) : NaN,
    };
  };
  return { pairs: opts.pairs, connectS, notSynced, run, close };
}

/**
 * Gives every seat's debrief content and leaves it: both partners connect, one adds a mark, the
 * other sees it, both disconnect. (On our server the rooms then unload, storing everything.)
 */
export async function fillDebriefs(url: string, seats: Seat[]): Promise<void> {
  await inBatches([...seats.entries()], 50, async ([i, seat]) => {
    const { a, b } = connectSeat(url, seat, i);
    try {
      const synced = Promise.all([a.synced(), b.synced()]).then(() => true);
      if (!(await Promise.race([synced, sleep(CONNECT_TIMEOUT_MS).then(() => false)])))
        throw new Error(`debrief ${seat.exchangeId}: not synced within ${CONNECT_TIMEOUT_MS / 1000}s`);
      const mark = addAnnotation(a.doc, seat.a.userId, upperTrapeziusPressure).id;
      const deadline = performance.now() + 30_000;
      while (!readAnnotation(b.doc, mark, () => undefined)) {
        if (performance.now() > deadline)
          throw new Error(`debrief ${seat.exchangeId}: the mark never reached the partner`);
        await sleep(20);
      }
    } finally {
      a.destroy();
      b.destroy();
    }
  });
}

export interface ColdJoinResult {
  clients: number;
  /** Until the last client synced (or gave up). */
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Not synced within the timeout. */
  failed: number;
  /** Synced to a document without marks: its stored content did not arrive. */
  empty: number;
  closes: string[];
}

/** Both partners of every seat connect at once; resolves when all are synced (or timed out). */
export function coldJoin(url: string, seats: Seat[], timeoutMs = 120_000): Promise<ColdJoinResult> {
  const t0 = performance.now();
  const clients = seats.flatMap((seat, i) => {
    const { a, b } = connectSeat(url, seat, i);
    return [a, b];
  });
  return timeJoins(clients, t0, timeoutMs);
}

/** Waits for clients that started connecting at `t0` to sync; times each; destroys them after. */
export async function timeJoins(clients: DebriefClient[], t0: number, timeoutMs: number): Promise<ColdJoinResult> {
  const times: number[] = [];
  let failed = 0;
  let empty = 0;
  try {
    await Promise.all(
      clients.map((c) =>
        Promise.race([c.synced().then(() => true), sleep(timeoutMs).then(() => false)]).then((synced) => {
          if (!synced) {
            failed++;
            return;
          }
          times.push(performance.now() - t0);
          if (readAnnotations(c.doc, () => undefined).length === 0) empty++;
        }),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    times.sort((x, y) => x - y);
    const closes = clients.flatMap((c) => c.closes.map((x) => `${x.code} ${x.reason}`));
    return {
      clients: clients.length,
      seconds,
      p50Ms: percentile(times, 50),
      p99Ms: percentile(times, 99),
      failed,
      empty,
      closes,
    };
  } finally {
    for (const c of clients) c.destroy();
  }
}
