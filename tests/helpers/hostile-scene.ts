// The stage of the hostile-partner suite: Ana (the victim) has a mark with her reply and her
// reaction on it; Ben (the attacker) holds a replica of the debrief and sends crafted updates on a
// raw socket. After an attack, checks that Ana's work is what it was on her device, on a device
// that opens the debrief afresh, in the stored document and in Review, and that she keeps editing.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type mongoose from 'mongoose';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import * as Y from 'yjs';
import {
  addAnnotation,
  addReply,
  readAnnotations,
  readThread,
  toggleReaction,
} from '@kneadback/shared/docs/debrief-doc';
import type { Annotation, ThreadEntry } from '@kneadback/shared/schemas/annotation';
import type { CritiqueView } from '@kneadback/shared/schemas/review';
import { REPO_ROOT } from '../../server/src/config.ts';
import { connectDebrief, type DebriefClient } from './collab-client.ts';
import { createPartners, upperTrapeziusPressure, type Partners } from './debrief-fixtures.ts';
import { eventually } from './eventually.ts';
import {
  craftUpdates,
  openHostileSocket,
  rawContent,
  readStoredDoc,
  replicaOf,
  syncUpdateMessage,
  type Outcome,
} from './hostile.ts';
import { startTestServer, type TestServer } from './test-server.ts';

/** The server under attack: the test server, or a second one started on its database. */
export interface Target {
  url: string;
  connection: mongoose.Connection;
}

export interface Scene {
  target: Target;
  partners: Partners;
  exchangeId: string;
  /** Ana's live device. */
  a: DebriefClient;
  /** Ana's mark, her reply in its thread (with her 👍 on it). */
  mark: Annotation;
  reply: ThreadEntry;
  /** Every client opened for this scene, destroyed by `dispose`. */
  clients: DebriefClient[];
}

export function connectTo(scene: Pick<Scene, 'target' | 'exchangeId' | 'clients'>, cookie: string, doc?: Y.Doc) {
  const client = connectDebrief(scene.target.url, cookie, scene.exchangeId, { doc });
  scene.clients.push(client);
  return client;
}

export function dispose(scene: Scene): void {
  for (const c of scene.clients.splice(0)) {
    try {
      c.destroy();
    } catch {
      // y-websocket throws on destroy when a successful attack made Yjs change the document's
      // client id (its awareness then has no entry for the new id); the test has failed already
    }
  }
}

/** How soon the suite's server unloads a room nobody is connected to. */
export const HOSTILE_UNLOAD_DELAY_MS = 100;

export interface HostileSuite {
  /** The test server of this file (started in beforeAll). */
  server(): TestServer;
  /** A fresh scene on that server; disposed after the test. */
  scene(): Promise<Scene>;
}

/**
 * Registers the hooks of a hostile-partner test file: one test server for the file (rate limits
 * off, rooms unloading after HOSTILE_UNLOAD_DELAY_MS), each test's scenes disposed after it, the
 * server stopped at the end.
 */
export function hostileSuite(): HostileSuite {
  let server: TestServer | undefined;
  const scenes: Scene[] = [];
  const started = (): TestServer => {
    if (!server) throw new Error('the hostile suite server is not running (use it inside a test)');
    return server;
  };

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMITS: 'off' }, { unloadDelayMs: HOSTILE_UNLOAD_DELAY_MS });
  });
  afterEach(() => {
    for (const s of scenes.splice(0)) dispose(s);
  });
  afterAll(async () => {
    await server?.stop();
  });

  return {
    server: started,
    async scene() {
      const s = await setUpScene(started());
      scenes.push(s);
      return s;
    },
  };
}

/** Ana's round-2 mark: she received the massage, so she writes that round's critique. */
export const anasMark = { ...upperTrapeziusPressure, round: 2 as const, tags: ['sharp-elbow'] };

export async function setUpScene(target: Target, partners?: Partners): Promise<Scene> {
  partners ??= await createPartners(target);
  const scene = { target, partners, exchangeId: partners.exchangeId, clients: [] as DebriefClient[] };
  const a = connectTo(scene, partners.a.cookieHeader);
  await a.synced();
  const ana = partners.a.user.id;
  const mark = addAnnotation(a.doc, ana, anasMark);
  const reply = addReply(a.doc, mark.id, ana, { text: 'I meant the elbow, not the thumb' });
  toggleReaction(a.doc, reply.id, ana, '👍');
  const full: Scene = { ...scene, a, mark, reply };
  // everything stored and projected before anyone attacks
  await eventually(async () => expect(rawContent(await storedDoc(full))).toEqual(rawContent(a.doc)), {
    timeout: 10_000,
  });
  await eventually(async () => expect((await review(full)).map((i) => i.replyCount)).toEqual([1]), {
    timeout: 10_000,
  });
  return full;
}

export function storedDoc(scene: Pick<Scene, 'target' | 'exchangeId'>): Promise<Y.Doc> {
  return readStoredDoc(scene.target.connection, scene.exchangeId);
}

/** Ana's Review of this debrief, oldest first (`query` adds filters). */
export async function review(
  scene: Pick<Scene, 'target' | 'exchangeId' | 'partners'>,
  query = '',
): Promise<CritiqueView[]> {
  const res = await fetch(`${scene.target.url}/api/review/critiques?pageSize=100&sort=oldest${query}`, {
    headers: { cookie: scene.partners.a.cookieHeader },
  });
  expect(res.status, 'GET /api/review/critiques').toBe(200);
  const body = (await res.json()) as { items: CritiqueView[] };
  return body.items.filter((i) => i.exchangeId === scene.exchangeId);
}

/** What a person sees of the document (through the shared module, which skips invalid values). */
export function visible(doc: Y.Doc) {
  return { annotations: readAnnotations(doc, () => undefined), thread: readThread(doc, undefined, () => undefined) };
}

export interface Before {
  visible: ReturnType<typeof visible>;
  raw: ReturnType<typeof rawContent>;
  storedBytes: number;
  review: CritiqueView[];
}

export async function snapshot(scene: Scene): Promise<Before> {
  const stored = await storedDoc(scene);
  return {
    visible: visible(scene.a.doc),
    raw: rawContent(scene.a.doc),
    storedBytes: Y.encodeStateAsUpdate(stored).length,
    review: await review(scene),
  };
}

/** Ben's device: synced from the server with a normal provider, then taken offline. */
export async function attackerReplica(scene: Scene, clientId?: number): Promise<Y.Doc> {
  const b = connectTo(scene, scene.partners.b.cookieHeader);
  await b.synced();
  await eventually(() => expect(readThread(b.doc).map((t) => t.id)).toContain(scene.reply.id));
  const replica = replicaOf(b.doc, clientId);
  b.destroy();
  return replica;
}

export interface AttackOptions {
  /** One message per transaction of `craft` (default: one message with the whole diff). */
  messagePerTransaction?: boolean;
  /** The attacker's device, when the test built it (default: a fresh replica). */
  replica?: Y.Doc;
}

/**
 * Ben crafts changes on his replica and sends them on a raw socket: the diff against what the
 * server has (Y.encodeStateAsUpdate with the server's state vector, as a provider's sync would)
 * or one update per transaction. Returns what the server did with them.
 */
export async function attack(scene: Scene, craft: (doc: Y.Doc) => void, opts: AttackOptions = {}): Promise<Outcome> {
  const replica = opts.replica ?? (await attackerReplica(scene));
  const serverState = Y.encodeStateVector(replica);
  const updates = craftUpdates(replica, craft);
  if (updates.length === 0) throw new Error('the attack changed nothing');
  const messages = opts.messagePerTransaction
    ? updates.map(syncUpdateMessage)
    : [syncUpdateMessage(Y.encodeStateAsUpdate(replica, serverState))];
  const socket = await openHostileSocket(scene.target.url, scene.partners.b.cookieHeader, scene.exchangeId);
  const outcome = await socket.sendAndSettle(messages);
  socket.close();
  return outcome;
}

/** Ben's attack on the scene is refused (4422) and Ana's work is unharmed (expectVictimUnharmed). */
export async function expectAttackRefused(
  scene: Scene,
  craft: (doc: Y.Doc) => void,
  opts: AttackOptions = {},
): Promise<void> {
  const before = await snapshot(scene);
  expectRefused(await attack(scene, craft, opts));
  await expectVictimUnharmed(scene, before);
}

/** The server closed the attacker's connection as refusing the update (4422). */
export function expectRefused(outcome: Outcome, what = 'the attack'): void {
  expect.soft(outcome, `${what} is refused: the attacker's connection is closed with 4422`).toMatchObject({
    kind: 'closed',
    code: 4422,
  });
}

function withoutMark<T extends { annotations: unknown }>(content: T, markId: string): T {
  if (Array.isArray(content.annotations)) {
    return { ...content, annotations: content.annotations.filter((a: Annotation) => a.id !== markId) };
  }
  const { [markId]: _probe, ...rest } = content.annotations as Record<string, unknown>;
  return { ...content, annotations: rest };
}

/**
 * After an attack: Ana's connection is still open; she adds a mark (the probe: she keeps
 * editing, and once it is everywhere, so is anything the attack did before it); everything she
 * had is unchanged on her device, on a second device of hers, in the stored document and in
 * Review, and the stored document did not grow by more than her probe.
 */
export async function expectVictimUnharmed(scene: Scene, before: Before): Promise<void> {
  const ana = scene.partners.a;
  expect.soft(scene.a.closes, "Ana's own connection is not closed").toEqual([]);
  const probe = addAnnotation(scene.a.doc, ana.user.id, { ...anasMark, text: 'written after the attack' });

  const second = connectTo(scene, ana.cookieHeader);
  await second.synced();
  await eventually(
    () =>
      expect(
        readAnnotations(second.doc, () => undefined).map((a) => a.id),
        "Ana's edit after the attack reaches her other device",
      ).toContain(probe.id),
    { timeout: 10_000 },
  );
  await eventually(() => expect(rawContent(scene.a.doc), "Ana's two devices agree").toEqual(rawContent(second.doc)));
  for (const [device, doc] of [
    ["Ana's device", scene.a.doc],
    ["Ana's other device", second.doc],
  ] as const) {
    expect(withoutMark(visible(doc), probe.id), `marks and replies on ${device}`).toEqual(before.visible);
    expect(withoutMark(rawContent(doc), probe.id), `raw content on ${device}`).toEqual(before.raw);
  }

  const stored = await eventually(
    async () => {
      const doc = await storedDoc(scene);
      expect(rawContent(doc).annotations, "Ana's probe in the stored document").toHaveProperty([probe.id]);
      return doc;
    },
    { timeout: 10_000 },
  );
  expect(withoutMark(visible(stored), probe.id), 'marks and replies in the stored document').toEqual(before.visible);
  expect(withoutMark(rawContent(stored), probe.id), 'raw content of the stored document').toEqual(before.raw);
  expect(
    Y.encodeStateAsUpdate(stored).length - before.storedBytes,
    'bytes the stored document grew by (Ana’s probe is < 1 KB)',
  ).toBeLessThan(16 * 1024);

  const after = await eventually(
    async () => {
      const items = await review(scene);
      expect(
        items.map((i) => i.annotationId),
        "Ana's probe in her Review",
      ).toContain(probe.id);
      return items;
    },
    { timeout: 10_000 },
  );
  expect(
    after.filter((i) => i.annotationId !== probe.id),
    "Ana's Review of the debrief",
  ).toEqual(before.review);

  expect(scene.a.closes, "Ana's own connection is not closed").toEqual([]);
  expect(scene.a.provider.wsconnected, "Ana's device is still connected").toBe(true);
}

/**
 * A number exported by a module of shared/src/docs or shared/src/schemas (found at run time,
 * so the suite compiles before the limit exists).
 */
export async function sharedConstant(name: string): Promise<number | undefined> {
  for (const dir of ['shared/src/docs', 'shared/src/schemas']) {
    const full = path.join(REPO_ROOT, dir);
    for (const file of readdirSync(full)) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.includes('contract')) continue;
      const mod = (await import(pathToFileURL(path.join(full, file)).href)) as Record<string, unknown>;
      if (typeof mod[name] === 'number') return mod[name];
    }
  }
  return undefined;
}
