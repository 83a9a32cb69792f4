// The drill's hostile cases (pnpm drill): each is made from (seed, index) alone, so any case can
// be replayed by number (`pnpm drill --case N`). A case sends its input and resolves with what
// the server answered (a close code, an HTTP status, an ack); it never throws, and it gives up
// on its own after a few seconds.
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { io, type Socket } from 'socket.io-client';
import { COLLAB_PATH_PREFIX, MAX_COLLAB_MESSAGE_BYTES } from '@kneadback/shared/collab-protocol';
import { addAnnotation, addReply } from '@kneadback/shared/docs/debrief-doc';
import { clientToServerEventSchemas } from '@kneadback/shared/events';
import { REPO_ROOT } from '../../server/src/config.ts';
import { upperTrapeziusPressure } from '../helpers/debrief-fixtures.ts';
import { hugeJsonText, mutateBody, randomJson, Rng, truncate } from '../helpers/seeded-random.ts';

export type Who = 'live-partner' | 'fuzz-partner' | 'stranger' | 'anonymous' | 'bogus-cookie';

export interface Route {
  method: string;
  path: string;
}

/** What the cases aim at: ids, cookies and routes set up by the drill before the first case. */
export interface DrillTargets {
  url: string;
  port: number;
  routes: Route[];
  liveDebriefId: string;
  liveMarkId: string;
  /** The live pair's partner A (the victim of forged updates). */
  liveVictimId: string;
  fuzzDebriefId: string;
  fuzzMarkId: string;
  fuzzPartnerId: string;
  fuzzVictimId: string;
  strangerEmail: string;
  cookies: Record<Who, string>;
  sockets: SocketPool;
}

export interface DrillCase {
  index: number;
  /** Stable name of what the case does; the drill groups figures by it. */
  kind: string;
  /** One line saying exactly what is sent (no payload bytes). */
  what: string;
  run(t: DrillTargets): Promise<string>;
}

const CASE_TIMEOUT_MS = 4_000;
const HTTP_BODY_LIMIT = 64 * 1024;
const MIB = 1024 * 1024;

export function drillCase(seed: number, index: number): DrillCase {
  const rng = Rng.forCase(seed, index);
  const category = rng.weighted([
    [45, 'yjs'],
    [15, 'upgrade'],
    [30, 'http'],
    [10, 'socketio'],
  ] as const);
  const made =
    category === 'yjs'
      ? yjsCase(rng)
      : category === 'upgrade'
        ? upgradeCase(rng)
        : category === 'http'
          ? httpCase(rng)
          : socketIoCase(rng);
  return {
    index,
    kind: made.kind,
    what: made.what,
    run: (t) =>
      withTimeout(
        made.run(t).catch((err: unknown) => `client error: ${(err as Error).message.slice(0, 80)}`),
        CASE_TIMEOUT_MS + 2_000,
        'drill timeout',
      ),
  };
}

type Made = Omit<DrillCase, 'index'>;

// ---------------------------------------------------------------- Yjs frames

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

function message(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

const syncMessage = (step: number, payload: Uint8Array) =>
  message((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, payload);
  });

const awarenessMessage = (entries: { client: number; clock: number; json: string }[], count = entries.length) =>
  message((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(
      e,
      message((inner) => {
        encoding.writeVarUint(inner, count);
        for (const entry of entries) {
          encoding.writeVarUint(inner, entry.client);
          encoding.writeVarUint(inner, entry.clock);
          encoding.writeVarString(inner, entry.json);
        }
      }),
    );
  });

/** A varuint far past 2^53 (lib0 refuses it) or a length far past the frame. */
function hugeVarint(rng: Rng): Uint8Array {
  const n = rng.int(5, 12);
  return Uint8Array.from({ length: n }, (_, i) => (i === n - 1 ? rng.int(1, 0x7f) : 0xff));
}

const FAKE_USER_ID = 'aaaaaaaaaaaaaaaaaaaaaaaa';

/** A real update made with the document module, written by `authorId`. */
function validUpdate(rng: Rng, authorId: string): Uint8Array {
  const doc = new Y.Doc();
  const mark = addAnnotation(doc, authorId, { ...upperTrapeziusPressure, text: rng.text(rng.int(0, 200)) });
  if (rng.bool()) addReply(doc, mark.id, authorId, { text: 'ok' });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

function flipBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const flips = rng.int(1, 8);
  for (let i = 0; i < flips; i++) out[rng.int(0, out.length - 1)] = rng.int(0, 255);
  return out;
}

type Frame = Uint8Array | string;

interface YjsPlan {
  kind: string;
  frames: (t: DrillTargets) => Frame[];
}

function yjsFrames(rng: Rng, who: Who): YjsPlan {
  const kind = rng.weighted([
    [10, 'random-binary'],
    [2, 'empty-frame'],
    [5, 'text-frame'],
    [2, 'oversized'],
    [8, 'truncated-valid'],
    [6, 'sync-step1-random'],
    [8, 'sync-step2-random'],
    [8, 'update-random'],
    [8, 'update-mutated'],
    [5, 'huge-varint'],
    [8, 'awareness-random-json'],
    [4, 'awareness-bad-count'],
    [3, 'awareness-invalid-json'],
    [2, 'awareness-oversized-state'],
    [4, 'unknown-type'],
    [3, 'query-awareness-flood'],
    [4, 'burst-before-access'],
    [5, 'update-forged-author'],
    [3, 'update-valid-own'],
  ] as const);
  const victim = (t: DrillTargets) => (who === 'live-partner' ? t.liveVictimId : t.fuzzVictimId);
  const own = (t: DrillTargets) => (who === 'live-partner' ? FAKE_USER_ID : t.fuzzPartnerId);
  const frames = (): YjsPlan['frames'] => {
    switch (kind) {
      case 'random-binary': {
        const n = rng.int(1, 2048);
        const head = rng.bool(0.5) ? [rng.int(0, 3), rng.int(0, 3)] : [];
        const bytes = rng.bytes(n);
        return () => [Uint8Array.from([...head, ...bytes])];
      }
      case 'empty-frame':
        return () => [new Uint8Array(0)];
      case 'text-frame': {
        const text = rng.bool() ? rng.text(rng.int(0, 4000)) : JSON.stringify(randomJson(rng));
        return () => [text];
      }
      case 'oversized': {
        const n = MAX_COLLAB_MESSAGE_BYTES + rng.int(1, 256 * 1024);
        const head = rng.int(0, 2);
        const seed = rng.int(0, 2 ** 31);
        return () => {
          const bytes = new Rng(seed).bytes(n);
          bytes[0] = MESSAGE_SYNC;
          bytes[1] = head;
          return [bytes];
        };
      }
      case 'truncated-valid': {
        const cut = rng.int(1, 1_000_000);
        const which = rng.int(0, 2);
        return (t) => {
          const full =
            which === 0
              ? syncMessage(SYNC_UPDATE, validUpdate(rng, own(t)))
              : which === 1
                ? syncMessage(SYNC_STEP_1, Y.encodeStateVector(new Y.Doc()))
                : awarenessMessage([{ client: 1, clock: 1, json: '{"user":{"id":"x"}}' }]);
          return [full.slice(0, 1 + (cut % Math.max(1, full.length - 1)))];
        };
      }
      case 'sync-step1-random': {
        const payload = rng.bytes(rng.int(0, 512));
        return () => [syncMessage(SYNC_STEP_1, payload)];
      }
      case 'sync-step2-random': {
        const payload = rng.bytes(rng.int(0, 2048));
        return () => [syncMessage(SYNC_STEP_2, payload)];
      }
      case 'update-random': {
        const payload = rng.bytes(rng.int(0, 2048));
        if (payload.length > 0) payload[0] = rng.int(0, 3); // a plausible struct count
        return () => [syncMessage(SYNC_UPDATE, payload)];
      }
      case 'update-mutated':
        return (t) => [syncMessage(rng.pick([SYNC_STEP_2, SYNC_UPDATE]), flipBytes(rng, validUpdate(rng, own(t))))];
      case 'huge-varint': {
        const where = rng.int(0, 3);
        const v = hugeVarint(rng);
        return () => [
          where === 0
            ? v
            : where === 1
              ? Uint8Array.from([MESSAGE_SYNC, ...v])
              : where === 2
                ? Uint8Array.from([MESSAGE_SYNC, SYNC_UPDATE, ...v, 1, 2, 3])
                : Uint8Array.from([MESSAGE_AWARENESS, ...v]),
        ];
      }
      case 'awareness-random-json': {
        const entries = Array.from({ length: rng.int(1, 5) }, () => ({
          client: rng.int(0, 2 ** 31),
          clock: rng.int(0, 2 ** 31),
          json: JSON.stringify(randomJson(rng)) ?? 'null',
        }));
        return () => [awarenessMessage(entries)];
      }
      case 'awareness-bad-count': {
        const entries = [{ client: rng.int(0, 1000), clock: 1, json: '{}' }];
        const count = rng.pick([0, 2, 1000, 2 ** 31, 2 ** 52]);
        return () => [awarenessMessage(entries, count)];
      }
      case 'awareness-invalid-json': {
        const json = rng.pick(['{', '', 'undefined', '{"user":', rng.text(50), '['.repeat(5000)]);
        return () => [awarenessMessage([{ client: rng.int(0, 1000), clock: 1, json }])];
      }
      case 'awareness-oversized-state': {
        const json = JSON.stringify({ user: { id: FAKE_USER_ID, name: 'x'.repeat(rng.int(5_000, 200_000)) } });
        return () => [awarenessMessage([{ client: rng.int(0, 1000), clock: 1, json }])];
      }
      case 'unknown-type': {
        const type = rng.pick([4, 5, 100, 127, 128, 16_384, 2 ** 31]);
        const rest = rng.bytes(rng.int(0, 64));
        return () => [Uint8Array.from([...message((e) => encoding.writeVarUint(e, type)), ...rest])];
      }
      case 'query-awareness-flood': {
        const n = rng.int(20, 200);
        const type = rng.pick([2, 3]);
        return () => Array.from({ length: n }, () => Uint8Array.from([type]));
      }
      case 'burst-before-access': {
        const n = rng.int(50, 300);
        const frames = Array.from({ length: n }, () => rng.bytes(rng.int(1, 64)));
        return () => frames;
      }
      case 'update-forged-author':
        return (t) => [syncMessage(SYNC_UPDATE, validUpdate(rng, victim(t)))];
      case 'update-valid-own':
        return (t) => [syncMessage(SYNC_UPDATE, validUpdate(rng, own(t)))];
    }
  };
  return { kind, frames: frames() };
}

function yjsCase(rng: Rng): Made {
  const who = rng.weighted([
    [50, 'fuzz-partner'],
    [15, 'live-partner'],
    [13, 'stranger'],
    [12, 'anonymous'],
    [10, 'bogus-cookie'],
  ] as const);
  const missingDoc = who === 'fuzz-partner' && rng.bool(0.08);
  const plan = yjsFrames(rng, who);
  // partners send either before the server has decided access (held, then replayed) or after its greeting
  const early = who !== 'fuzz-partner' && who !== 'live-partner' ? true : rng.bool(0.3);
  const kind = `yjs.${plan.kind}`;
  return {
    kind,
    what: `${kind} as ${who}${missingDoc ? ' to a debrief that does not exist' : ''}${early ? ' before access' : ''}`,
    run: async (t) => {
      const docId = missingDoc
        ? 'ffffffffffffffffffffffff'
        : who === 'live-partner' || who === 'stranger'
          ? t.liveDebriefId
          : t.fuzzDebriefId;
      return yjsExchange(
        t,
        t.cookies[who],
        docId,
        plan.frames(t),
        early,
        who === 'live-partner' || who === 'fuzz-partner',
      );
    },
  };
}

/**
 * Opens the Yjs endpoint, sends the frames, then (for a partner) a sync step 1 as a probe: the
 * server handles a connection's messages in order, so its step 2 answer means it got past ours.
 */
function yjsExchange(
  t: DrillTargets,
  cookie: string,
  docId: string,
  frames: Frame[],
  early: boolean,
  probe: boolean,
): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${t.port}${COLLAB_PATH_PREFIX}${docId}`, {
      headers: cookie ? { cookie } : {},
      handshakeTimeout: CASE_TIMEOUT_MS,
    });
    let settled = false;
    const done = (outcome: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.removeAllListeners('message');
      ws.on('error', () => undefined);
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => done(probe ? 'no answer' : 'still open'), CASE_TIMEOUT_MS);
    const send = () => {
      for (const f of frames) {
        if (ws.readyState !== ws.OPEN) return;
        ws.send(f, { binary: typeof f !== 'string' });
      }
      if (probe && ws.readyState === ws.OPEN) ws.send(syncMessage(SYNC_STEP_1, Y.encodeStateVector(new Y.Doc())));
    };
    ws.on('error', (err) => done(`error: ${err.message.slice(0, 60)}`));
    ws.on('close', (code) => done(`close ${code}`));
    ws.on('open', () => {
      if (early) send();
    });
    let greeted = false;
    ws.on('message', (data: Buffer) => {
      if (!greeted && data[0] === MESSAGE_SYNC && data[1] === SYNC_STEP_1) {
        greeted = true;
        if (!early) send();
        return;
      }
      if (data[0] === MESSAGE_SYNC && data[1] === SYNC_STEP_2) done('answered');
    });
  });
}

// ---------------------------------------------------------------- the upgrade request

const UPGRADE_PATHS: readonly (readonly [string, (rng: Rng, t: DrillTargets) => string])[] = [
  ['lone-percent', () => '/collab/%'],
  ['truncated-utf8-escape', () => '/collab/%E0%A4%A'],
  [
    'random-escapes',
    (rng) =>
      '/collab/' +
      Array.from({ length: rng.int(1, 8) }, () =>
        rng.pick(['%', '%' + rng.hex(1), '%' + rng.hex(2), '%ZZ', '%C0%AF', '%FF', '%ED%A0%80', 'a']),
      ).join(''),
  ],
  ['very-long', (rng) => '/collab/' + 'a'.repeat(rng.int(2_000, 40_000))],
  [
    'dot-dot',
    (rng, t) =>
      rng.pick([
        '/collab/..',
        '/collab/../api/auth/me',
        `/collab/../collab/${t.liveDebriefId}`,
        '/collab/..%2F..%2Fetc%2Fpasswd',
        '/collab/%2e%2e/%2e%2e/',
        `/collab/./${t.liveDebriefId}`,
      ]),
  ],
  [
    'null-byte',
    (rng, t) => rng.pick(['/collab/\u0000', `/collab/${t.liveDebriefId}%00`, '/collab/%00', '/col\u0000lab/x']),
  ],
  ['raw-bytes', (rng) => '/collab/' + String.fromCharCode(...rng.bytes(rng.int(1, 40)))],
  [
    'odd-shape',
    (rng, t) =>
      rng.pick([
        '/collab',
        '/collab/',
        '//collab/x',
        '/COLLAB/x',
        `/collab/${t.liveDebriefId}/extra`,
        `/collab/${t.liveDebriefId}?x=%&y`,
        `/collab/${t.liveDebriefId}#frag`,
        `http://evil.example/collab/${t.liveDebriefId}`,
        '*',
        '',
        '/collab/' + 'é',
        '/collab/__proto__',
        '/collab/constructor',
      ]),
  ],
  [
    'other-endpoint',
    (rng) =>
      rng.pick([
        '/',
        '/healthz',
        '/api/auth/me',
        '/socket.io/?EIO=4&transport=websocket&sid=%',
        '/socket.io/?EIO=99&transport=websocket',
        '/socket.io/%',
      ]),
  ],
];

type HeaderPlan = (rng: Rng, t: DrillTargets) => { extra: string[]; replace?: Record<string, string | null> };

const UPGRADE_HEADERS: readonly (readonly [string, HeaderPlan])[] = [
  [
    'bad-origin',
    (rng) => ({
      extra: [
        `Origin: ${rng.pick(['null', 'http://evil.example', 'http://[::1', '%', 'file://', 'x'.repeat(rng.int(1, 9_000)), printable(rng.text(20), '?')])}`,
      ],
    }),
  ],
  [
    'bad-cookie',
    (rng) => ({
      extra: [
        `Cookie: ${rng.pick([
          'kb_session=',
          `kb_session=${rng.hex(64)}`,
          'kb_session=%',
          'kb_session=%E0%A4%A',
          'kb_session="unterminated',
          '=; ;=;;',
          `kb_session=${'%41'.repeat(500)}`,
          '__proto__=1; constructor=2',
        ])}`,
      ],
    }),
  ],
  ['huge-cookie', (rng) => ({ extra: [`Cookie: kb_session=${'a'.repeat(rng.int(8_000, 100_000))}`] })],
  [
    'many-headers',
    (rng) => ({ extra: Array.from({ length: rng.int(100, 3_000) }, (_, i) => `X-Junk-${i}: ${rng.hex(8)}`) }),
  ],
  [
    'bad-websocket-handshake',
    (rng) =>
      rng.pick([
        { extra: [], replace: { 'Sec-WebSocket-Key': null } },
        { extra: [], replace: { 'Sec-WebSocket-Key': 'not-base64!' } },
        { extra: [], replace: { 'Sec-WebSocket-Version': '99' } },
        { extra: [], replace: { Upgrade: 'h2c' } },
        { extra: ['Sec-WebSocket-Protocol: ' + printable(rng.text(30), ',')] },
        {
          extra: ['Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=0; server_max_window_bits=99'],
        },
      ]),
  ],
  ['missing-host', () => ({ extra: ['Origin: http://127.0.0.1'], replace: { Host: null } })],
  [
    'malformed-lines',
    (rng) => ({ extra: rng.pick([['no-colon-here'], [' folded: line'], ['X: a\rb'], [':empty-name']]) }),
  ],
];

function upgradeCase(rng: Rng): Made {
  const byPath = rng.bool(0.55);
  const who = rng.pick(['anonymous', 'fuzz-partner', 'stranger', 'live-partner'] as const);
  const method = rng.bool(0.9) ? 'GET' : rng.pick(['POST', 'PUT', 'CONNECT', 'FOO']);
  const [name, pathOf] = byPath ? rng.pick(UPGRADE_PATHS) : (['valid-path', null] as const);
  const [headerName, headerPlan] = byPath ? (['', null] as const) : rng.pick(UPGRADE_HEADERS);
  const kind = byPath ? `upgrade.path.${name}` : `upgrade.header.${headerName}`;
  const sub = new Rng(rng.int(0, 2 ** 31));
  return {
    kind,
    what: `${kind} ${method} as ${who}`,
    run: (t) => {
      const target = pathOf ? pathOf(sub, t) : `${COLLAB_PATH_PREFIX}${sub.pick([t.liveDebriefId, t.fuzzDebriefId])}`;
      const headers: Record<string, string | null> = {
        Host: `127.0.0.1:${t.port}`,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.from(sub.bytes(16)).toString('base64'),
      };
      const plan = headerPlan ? headerPlan(sub, t) : { extra: [] };
      Object.assign(headers, plan.replace ?? {});
      const lines = [`${method} ${target} HTTP/1.1`];
      for (const [k, v] of Object.entries(headers)) if (v !== null) lines.push(`${k}: ${v}`);
      if (t.cookies[who] && !plan.extra.some((l) => l.startsWith('Cookie:'))) lines.push(`Cookie: ${t.cookies[who]}`);
      lines.push(...plan.extra);
      return rawRequest(t.port, Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'));
    },
  };
}

/** Writes bytes to the port and resolves with the status line of the answer (or how it ended). */
function rawRequest(port: number, bytes: Buffer, body?: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let settled = false;
    const done = (outcome: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done('no answer'), CASE_TIMEOUT_MS);
    socket.on('connect', () => {
      socket.write(bytes);
      if (body) socket.write(body);
    });
    socket.on('data', (chunk: Buffer) => {
      const line = chunk.toString('latin1').split('\r\n')[0] ?? '';
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(line);
      done(status ? `http ${status[1]}` : 'non-HTTP answer');
    });
    socket.on('error', (err: NodeJS.ErrnoException) => done(`error: ${err.code ?? err.message}`));
    socket.on('close', () => done('closed without answer'));
  });
}

// ---------------------------------------------------------------- HTTP routes

/** Every route in the routers and in docs/api.md (the union: a route missing from either is still drilled). */
export function discoverRoutes(): Route[] {
  const found = new Map<string, Route>();
  const add = (method: string, p: string) => found.set(`${method} ${p}`, { method, path: p });
  const featuresDir = path.join(REPO_ROOT, 'server/src/features');
  for (const feature of readdirSync(featuresDir)) {
    let source: string;
    try {
      source = readFileSync(path.join(featuresDir, feature, 'routes.ts'), 'utf8');
    } catch {
      continue;
    }
    for (const m of source.matchAll(/router\.(get|post|put|patch|delete)\(\s*['"`]([^'"`]+)['"`]/g)) {
      add(m[1]!.toUpperCase(), `/api${m[2]!}`);
    }
  }
  const apiDoc = readFileSync(path.join(REPO_ROOT, 'docs/api.md'), 'utf8');
  for (const m of apiDoc.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s]*)`/g)) add(m[1]!, m[2]!);
  return [...found.values()].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** A valid body per route, the starting point of "almost right" bodies. */
const VALID_BODIES: Record<string, (rng: Rng, t: DrillTargets) => Record<string, unknown>> = {
  'POST /api/auth/signup': (rng) => ({
    email: `drill-${rng.hex(10)}@test.kneadback.test`,
    password: `pw-${rng.hex(8)}-Secret1`,
    displayName: 'Drill',
  }),
  'POST /api/auth/login': (rng, t) => ({ email: t.strangerEmail, password: `wrong-${rng.hex(8)}` }),
  'POST /api/auth/logout': () => ({}),
  'PATCH /api/auth/me': (rng) => ({ displayName: `Drill ${rng.hex(4)}`, modalities: ['swedish'], city: 'Lyon' }),
  'POST /api/exchanges': () => ({ date: '2026-11-27', roundMinutes: 60 }),
  'POST /api/exchange-requests': (rng, t) => ({
    toEmail: rng.bool() ? t.strangerEmail : `nobody-${rng.hex(6)}@test.kneadback.test`,
    startsAt: new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString(),
    place: 'mine',
    proposerGives: ['swedish'],
    recipientGives: ['thai'],
  }),
  'POST /api/exchange-requests/:id/counter': () => ({
    startsAt: new Date(Date.now() + 4 * 24 * 3600 * 1000).toISOString(),
    place: 'elsewhere',
    placeNote: 'the studio',
  }),
  'POST /api/exchange-requests/:id/cancel': () => ({ reason: 'drill' }),
  'PUT /api/rhythm/settings': (rng) => ({ reminderDays: rng.int(1, 30) }),
  'POST /api/partners/:userId/referrals': () => ({ forWhat: 'neck pain', date: '2026-11-01' }),
  'POST /api/partners/:userId/endorsements': () => ({ modality: 'thai', note: 'drill' }),
  'POST /api/exchanges/join': (rng) => ({ inviteToken: rng.hex(32) }),
  'POST /api/debriefs/:id/annotations/:annotationId/status': (rng) => ({ status: rng.pick(['open', 'resolved']) }),
  'PUT /api/debriefs/:id/reads': (_rng, t) => ({ annotationId: t.liveMarkId }),
  'POST /api/notifications/read': (rng) => (rng.bool() ? { all: true } : { ids: [rng.hex(24)] }),
};

const JUNK_PARAMS = [
  '%',
  '%E0%A4%A',
  '..',
  '%2e%2e',
  '__proto__',
  'constructor',
  'null',
  '[object Object]',
  '$where',
  '%00',
  'ffffffffffffffffffffffff',
  'FFFFFFFFFFFFFFFFFFFFFFFF',
];

const QUERY_KEYS = [
  'partnerId',
  'role',
  'category',
  'regionId',
  'tag',
  'verdict',
  'status',
  'from',
  'to',
  'sort',
  'page',
  'pageSize',
];

function randomQuery(rng: Rng): string {
  const parts: string[] = [];
  const n = rng.int(0, 6);
  for (let i = 0; i < n; i++) {
    const key = rng.bool(0.8)
      ? rng.pick(QUERY_KEYS)
      : rng.pick(['__proto__[x]', 'constructor[prototype][x]', 'a[b][c][d]', 'page[]', '%', rng.text(5)]);
    const value = rng.pick([
      rng.text(rng.int(0, 30)),
      String(rng.pick([-1, 0, 1e9, 1.5, NaN])),
      '2026-13-45',
      'given',
      'pressure',
      'newest',
      '%',
      '%E0%A4%A',
      'x'.repeat(rng.int(100, 6_000)),
    ]);
    parts.push(`${encodeURIComponentLoose(rng, key)}=${encodeURIComponentLoose(rng, value)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Usually encoded, sometimes sent as is (a lone % and all). */
function encodeURIComponentLoose(rng: Rng, s: string): string {
  try {
    return rng.bool(0.8) ? encodeURIComponent(s) : printable(s).replace(/[#&?]/g, '');
  } catch {
    return 'x'; // lone surrogates
  }
}

type BodyKind =
  | 'none'
  | 'valid'
  | 'mutated'
  | 'random-json'
  | 'invalid-json'
  | 'truncated-json'
  | 'huge'
  | 'prototype-keys'
  | 'array'
  | 'wrong-content-type';

function httpCase(rng: Rng): Made {
  if (rng.bool(0.04)) return engineIoPollingCase(rng);
  const routeSeed = rng.int(0, 2 ** 31);
  const bodyKind = rng.weighted<BodyKind>([
    [4, 'none'],
    [4, 'valid'],
    [20, 'mutated'],
    [16, 'random-json'],
    [8, 'invalid-json'],
    [6, 'truncated-json'],
    [8, 'huge'],
    [6, 'prototype-keys'],
    [6, 'array'],
    [6, 'wrong-content-type'],
  ]);
  let who = rng.weighted<Who>([
    [30, 'fuzz-partner'],
    [20, 'live-partner'],
    [20, 'stranger'],
    [20, 'anonymous'],
    [10, 'bogus-cookie'],
  ]);
  const paramSeed = rng.int(0, 2 ** 31);
  const sub = new Rng(rng.int(0, 2 ** 31));
  return {
    kind: `http.${bodyKind}`,
    what: `http.${bodyKind} to route #${routeSeed} as ${who}`,
    run: async (t) => {
      const route = t.routes[routeSeed % t.routes.length]!;
      // signing out would end a session the drill still needs
      if (route.path === '/api/auth/logout' && who !== 'anonymous') who = 'bogus-cookie';
      const p = new Rng(paramSeed);
      const url =
        route.path.replace(/:(\w+)/g, (_m, name: string) => {
          const r = p.next();
          if (name === 'annotationId') return r < 0.6 ? t.liveMarkId : r < 0.8 ? t.fuzzMarkId : p.pick(JUNK_PARAMS);
          if (r < 0.4) return t.liveDebriefId;
          if (r < 0.7) return t.fuzzDebriefId;
          if (r < 0.8) return p.hex(24);
          if (r < 0.9) return 'x'.repeat(p.int(100, 10_000));
          return p.pick(JUNK_PARAMS);
        }) + (route.method === 'GET' || sub.bool(0.1) ? randomQuery(sub) : '');
      const validOf = VALID_BODIES[`${route.method} ${route.path}`];
      const valid = validOf ? validOf(sub, t) : {};
      let body: string | undefined;
      let contentType = 'application/json';
      switch (bodyKind) {
        case 'none':
          break;
        case 'valid':
          body = JSON.stringify(valid);
          break;
        case 'mutated':
          body = JSON.stringify(mutateBody(sub, valid));
          break;
        case 'random-json':
          body = JSON.stringify(randomJson(sub)) ?? 'null';
          break;
        case 'invalid-json':
          body = sub.pick(['{', '{"a":}', "{'a':1}", 'NaN', '{"a":1}}', sub.text(sub.int(1, 200)), '\u0000', '']);
          break;
        case 'truncated-json':
          body = truncate(sub, JSON.stringify(valid));
          break;
        case 'huge':
          body = hugeJsonText(sub, HTTP_BODY_LIMIT);
          break;
        case 'prototype-keys':
          body = sub.pick([
            '{"__proto__":{"isAdmin":true,"polluted":"yes"}}',
            `{"constructor":{"prototype":{"polluted":"yes"}},${JSON.stringify(valid).slice(1)}`,
            `{"__proto__":{"status":"resolved"},${JSON.stringify(valid).slice(1)}`,
            '{"$where":"sleep(1000)","$gt":""}',
            `{"email":{"$ne":null},"password":{"$gt":""}}`,
          ]);
          break;
        case 'array':
          body = JSON.stringify(sub.bool() ? [valid] : Object.values(valid));
          break;
        case 'wrong-content-type':
          body = sub.bool() ? JSON.stringify(valid) : new URLSearchParams({ a: 'b' }).toString();
          contentType = sub.pick([
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json; charset=utf-7',
            'application/json; charset=nope',
            '',
          ]);
          break;
      }
      const headers: Record<string, string> = {};
      if (body !== undefined && contentType) headers['Content-Type'] = contentType;
      if (t.cookies[who]) headers.Cookie = t.cookies[who];
      const res = await fetch(t.url + url, {
        method: route.method,
        headers,
        body: route.method === 'GET' ? undefined : body,
        redirect: 'manual',
        signal: AbortSignal.timeout(CASE_TIMEOUT_MS),
      }).catch((err: unknown) => ({ status: 0, err: (err as Error).cause ?? err }) as const);
      if ('err' in res) return `error: ${String((res.err as Error).message ?? res.err).slice(0, 60)}`;
      await res.arrayBuffer().catch(() => undefined);
      return `${route.method} ${route.path} -> ${res.status}`;
    },
  };
}

function engineIoPollingCase(rng: Rng): Made {
  const sub = new Rng(rng.int(0, 2 ** 31));
  const variant = rng.pick(['post-garbage', 'get-bad-query', 'post-huge'] as const);
  const kind = `http.engine-io-${variant}`;
  return {
    kind,
    what: kind,
    run: async (t) => {
      const query =
        variant === 'get-bad-query'
          ? sub.pick([
              'EIO=99&transport=polling',
              'EIO=4&transport=nope',
              'EIO=%&transport=%',
              'EIO=4&transport=polling&sid=%',
            ])
          : `EIO=4&transport=polling&sid=${sub.hex(20)}`;
      const body =
        variant === 'post-huge'
          ? Buffer.from(sub.bytes(sub.int(100_000, 2 * MIB)))
          : Buffer.from(sub.bytes(sub.int(0, 500)));
      const res = await fetch(`${t.url}/socket.io/?${query}`, {
        method: variant === 'get-bad-query' ? 'GET' : 'POST',
        body: variant === 'get-bad-query' ? undefined : body,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        signal: AbortSignal.timeout(CASE_TIMEOUT_MS),
      }).catch((err: unknown) => ({ status: 0, err }) as const);
      if ('err' in res) return `error: ${String((res.err as Error).message).slice(0, 60)}`;
      await res.arrayBuffer().catch(() => undefined);
      return `engine.io -> ${res.status}`;
    },
  };
}

// ---------------------------------------------------------------- Socket.IO

/** One connected Socket.IO client per identity, replaced when the server drops it. */
export class SocketPool {
  private readonly sockets = new Map<string, Promise<Socket>>();

  constructor(private readonly url: string) {}

  get(cookie: string): Promise<Socket> {
    const existing = this.sockets.get(cookie);
    const fresh = () => {
      const made = connectSocket(this.url, cookie, ['websocket']).then(
        (s) => s,
        (err: unknown) => {
          this.sockets.delete(cookie);
          throw err;
        },
      );
      this.sockets.set(cookie, made);
      return made;
    };
    if (!existing) return fresh();
    return existing.then(
      (s) => (s.connected ? s : fresh()),
      () => fresh(),
    );
  }

  async close(): Promise<void> {
    const all = await Promise.allSettled([...this.sockets.values()]);
    for (const s of all) if (s.status === 'fulfilled') s.value.disconnect();
    this.sockets.clear();
  }
}

function connectSocket(url: string, cookie: string, transports: string[]): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      extraHeaders: cookie ? { cookie } : {},
      transports,
      reconnection: false,
      timeout: CASE_TIMEOUT_MS,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.disconnect();
      reject(err);
    });
  });
}

const CLIENT_EVENTS = Object.keys(clientToServerEventSchemas);
/** socket.io-client refuses to emit reserved names; the raw packets below send them anyway. */
const ODD_EVENTS = [
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  'notifications:mark-read ',
  'x'.repeat(5_000),
];
const RESERVED_EVENTS = [
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
  'error',
];

function socketIoCase(rng: Rng): Made {
  const variant = rng.weighted([
    [40, 'raw-packet'],
    [28, 'event-random-payload'],
    [8, 'handshake-refused'],
    [6, 'event-extra-args'],
    [6, 'event-binary'],
    [6, 'unknown-event'],
    [6, 'oversized'],
  ] as const);
  const who = rng.pick(['fuzz-partner', 'stranger', 'live-partner'] as const);
  const sub = new Rng(rng.int(0, 2 ** 31));
  const kind = `socketio.${variant}`;
  const event = rng.pick(CLIENT_EVENTS);
  return {
    kind,
    what: `${kind} as ${variant === 'handshake-refused' ? 'anonymous or a bogus cookie' : who}`,
    run: async (t) => {
      if (variant === 'raw-packet') return rawSocketIo(t, t.cookies[who], sub);
      if (variant === 'handshake-refused') {
        const cookie = sub.bool() ? '' : t.cookies['bogus-cookie'];
        const transports = sub.pick([['websocket'], ['polling'], ['polling', 'websocket']]);
        return connectSocket(t.url, cookie, transports).then(
          (s) => {
            s.disconnect();
            return 'connected (should have been refused)';
          },
          (err: Error) => `refused: ${err.message.slice(0, 40)}`,
        );
      }
      const own = variant === 'oversized';
      const socket = own
        ? await connectSocket(t.url, t.cookies[who], ['websocket'])
        : await t.sockets.get(t.cookies[who]);
      try {
        // an ack either answers the event itself or, after one the server must not answer, a probe
        const ack = (...args: unknown[]) =>
          new Promise<string>((resolve) => {
            const onDisconnect = (reason: string) => resolve(`disconnected: ${reason}`);
            socket.once('disconnect', onDisconnect);
            socket
              .timeout(CASE_TIMEOUT_MS)
              .emit(...(args as [string]), (err: Error | null, res: { ok?: boolean; error?: { code?: string } }) => {
                socket.off('disconnect', onDisconnect);
                resolve(err ? 'no ack' : res?.ok ? 'ack ok' : `ack error ${res?.error?.code ?? '?'}`);
              });
          });
        switch (variant) {
          case 'event-random-payload':
            return ack(event, sub.bool(0.4) ? mutateBody(sub, { ids: [sub.hex(24)] }) : randomJson(sub));
          case 'event-extra-args':
            // the ack function is not the second argument, so the server must not call it
            socket.emit(event, { all: true }, ...Array.from({ length: sub.int(1, 20) }, () => randomJson(sub)));
            return `then probe: ${await ack(event, { all: true })}`;
          case 'event-binary':
            return ack(event, Buffer.from(sub.bytes(sub.int(0, 30_000))));
          case 'unknown-event': {
            socket.emit(sub.pick(ODD_EVENTS), randomJson(sub));
            return `then probe: ${await ack(event, { all: true })}`;
          }
          case 'oversized':
            // awaited here, so the finally below does not disconnect before the server answers
            return await ack(event, { ids: ['x'.repeat(sub.int(70_000, 2 * MIB))] });
        }
      } finally {
        if (own) socket.disconnect();
      }
    },
  };
}

/**
 * Engine.IO/Socket.IO packets written by hand over a raw WebSocket: reserved event names,
 * broken JSON, binary placeholders that never come, odd namespaces and ack ids. A mark-read
 * event with ack id 77 follows as a probe (answered `4377[...]` when the socket is still served).
 */
function rawSocketIo(t: DrillTargets, cookie: string, rng: Rng): Promise<string> {
  const packets: (string | Buffer)[] = [];
  const n = rng.int(1, 4);
  for (let i = 0; i < n; i++) {
    const v = rng.int(0, 9);
    if (v === 0) packets.push(`42${JSON.stringify([rng.pick(RESERVED_EVENTS), randomJson(rng)])}`);
    else if (v === 1) packets.push(`42${rng.text(rng.int(0, 100))}`);
    else if (v === 2) packets.push(`4${rng.int(0, 9)}${rng.text(rng.int(0, 50))}`);
    else if (v === 3)
      packets.push(
        `45${rng.int(1, 10)}-${JSON.stringify([CLIENT_EVENTS[0], { _placeholder: true, num: rng.int(0, 99) }])}`,
      );
    else if (v === 4) packets.push(`40/${rng.text(rng.int(0, 10)).replace(/,/g, '')},`);
    else if (v === 5)
      packets.push(
        `42${rng.int(0, 9)}${'9'.repeat(rng.int(10, 40))}${JSON.stringify([CLIENT_EVENTS[0], { all: true }])}`,
      );
    else if (v === 6) packets.push(`42${'['.repeat(rng.int(1_000, 20_000))}`);
    else if (v === 7) packets.push(Buffer.from(rng.bytes(rng.int(0, 200))));
    else if (v === 8) packets.push(rng.pick(['2', '3', '2probe', '5', '6', '1', '']));
    else packets.push(`42${JSON.stringify([CLIENT_EVENTS[0], randomJson(rng)])}`);
  }
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${t.port}/socket.io/?EIO=4&transport=websocket`, {
      headers: cookie ? { cookie } : {},
      handshakeTimeout: CASE_TIMEOUT_MS,
    });
    let settled = false;
    const done = (outcome: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.on('error', () => undefined);
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => done('no answer'), CASE_TIMEOUT_MS);
    ws.on('error', (err) => done(`error: ${err.message.slice(0, 60)}`));
    ws.on('close', (code) => done(`close ${code}`));
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      if (text.startsWith('0')) return void ws.send('40');
      if (text.startsWith('44')) return done('connect refused');
      if (text.startsWith('40')) {
        for (const p of packets) ws.send(p);
        ws.send(`4277${JSON.stringify([CLIENT_EVENTS[0], { all: true }])}`);
        return;
      }
      if (text === '2') return void ws.send('3');
      if (text.startsWith('4377')) done('answered');
    });
  });
}

// ---------------------------------------------------------------- misc

/** Printable ASCII only: a header value or a raw query part must still parse as one. */
function printable(s: string, replacement = ''): string {
  return Array.from(s, (c) => {
    const code = c.charCodeAt(0);
    return code > 0x20 && code < 0x7f ? c : replacement;
  }).join('');
}

function withTimeout<T>(promise: Promise<T>, ms: number, value: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(value), ms);
    void promise.then((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}
