import { afterEach, describe, expect, it, vi } from 'vitest';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { addAnnotation, readAnnotations } from '@kneadback/shared/docs/debrief-doc';
import { ControlledStore, permanentError, transientError } from './controlled-store.ts';
import { ANA, DOC, closeOf, eventually, markInput, newServer, type CoreServer } from './core-server.ts';

let server: CoreServer;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.stop();
});

/** Unstored changes past which new ones wait on the device (room.ts). */
const BACKLOG_LIMIT = 64 * 1024 * 1024;

describe('a store that fails', () => {
  it('retries a load that failed for a passing reason, and the client syncs', async () => {
    const store = new ControlledStore();
    store.loadErrors.push(transientError, transientError);
    server = await newServer({ store });
    const ana = server.connect(ANA);
    await ana.synced();
    expect(store.loads).toBe(3);
    expect(ana.closes).toEqual([]);
  });

  it('tells the client to try again later (1013) when the database stays away, then loads once it is back', async () => {
    const store = new ControlledStore();
    // each failure takes ten seconds on the room's clock: the second one ends the 15 s retry window
    const realNow = Date.now.bind(Date);
    let skipped = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + skipped);
    const slowFailure = () => {
      skipped += 10_000;
      return transientError();
    };
    store.loadErrors.push(slowFailure, slowFailure);
    server = await newServer({ store });
    const ws = await server.raw(ANA);
    expect(await closeOf(ws)).toEqual({ code: CollabCloseCode.tryAgainLater, reason: 'database unavailable' });
    expect(store.loads).toBe(2);
    expect(server.hub.stats().rooms).toBe(0);

    const ana = server.connect(ANA);
    await ana.synced();
    expect(store.loads).toBe(3);
  });

  it('does not retry a load the database refuses for good, and closes with 1013', async () => {
    const store = new ControlledStore();
    store.loadErrors.push(permanentError);
    server = await newServer({ store });
    expect((await closeOf(await server.raw(ANA))).code).toBe(CollabCloseCode.tryAgainLater);
    expect(store.loads).toBe(1);
  });

  it("refuses a change with 1013 while the unstored backlog is full, and keeps the partner's connection", async () => {
    server = await newServer();
    const { ana, ben } = await server.partners();
    // stands in for 64 MiB of changes the database has not taken yet
    server.writer.backlogBytes += BACKLOG_LIMIT + 1;
    addAnnotation(ana.doc, ANA.id, markInput('waits on the device'));
    await eventually(() => expect(ana.closes.map((c) => c.code)).toContain(CollabCloseCode.tryAgainLater));
    expect(readAnnotations(server.hub.loadedDoc(DOC)!)).toEqual([]);
    expect(ben.closes).toEqual([]);

    // the database caught up: the device resends it on reconnect
    server.writer.backlogBytes -= BACKLOG_LIMIT + 1;
    await eventually(() => expect(readAnnotations(ben.doc).map((m) => m.text)).toEqual(['waits on the device']));
  });
});
