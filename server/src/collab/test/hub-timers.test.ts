import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { COLLAB_PATH_PREFIX } from '@kneadback/shared/collab-protocol';
import { addAnnotation } from '@kneadback/shared/docs/debrief-doc';
import { ControlledStore } from './controlled-store.ts';
import { ANA, BEN, DOC, closeOf, cookieFor, eventually, markInput, newServer, type CoreServer } from './core-server.ts';

let server: CoreServer;
afterEach(() => server?.stop());

describe('the hub on its own clock', () => {
  it('snapshots an open document after `compactEvery` stored updates, or up to half as many more', async () => {
    const store = new ControlledStore();
    server = await newServer({ store, compactEvery: 3 });
    const ana = server.connect(ANA);
    await ana.synced();
    for (const text of ['one', 'two', 'three', 'four']) addAnnotation(ana.doc, ANA.id, markInput(text));
    await eventually(() => expect(store.compactions.filter((c) => !c.closing)).toHaveLength(1));
    expect(store.compactions[0]!.upToSeq).toBeGreaterThanOrEqual(3);
  });

  it('snapshots an open document whose stored edits are older than `staleCompactionMs`, and sweeps the log', async () => {
    const store = new ControlledStore();
    server = await newServer({ store, sweepIntervalMs: 20, staleCompactionMs: 50 });
    const ana = server.connect(ANA);
    await ana.synced();
    addAnnotation(ana.doc, ANA.id, markInput('one quiet edit'));
    await eventually(async () => expect(await store.openDocs()).toEqual([DOC]));
    const sweepsBefore = store.sweeps;
    await eventually(() => expect(store.compactions.filter((c) => !c.closing)).toHaveLength(1));
    expect(store.compactions[0]).toMatchObject({ docId: DOC, closing: false });
    await eventually(() => expect(store.sweeps).toBeGreaterThan(sweepsBefore));
    // nothing new since: no second snapshot
    const sweeps = store.sweeps;
    await eventually(() => expect(store.sweeps).toBeGreaterThan(sweeps + 2));
    expect(store.compactions.filter((c) => !c.closing)).toHaveLength(1);
  });

  it('drops a socket that stops answering pings every `pingIntervalMs`, and keeps one that answers', async () => {
    server = await newServer({ pingIntervalMs: 20 });
    const ben = server.connect(BEN);
    await ben.synced();
    const silent = new WebSocket(`${server.url.replace('http', 'ws')}${COLLAB_PATH_PREFIX}${DOC}`, {
      headers: { cookie: cookieFor(ANA) },
      autoPong: false,
    });
    await new Promise((resolve) => silent.once('message', resolve));
    const closed = await closeOf(silent);
    // terminated, not closed: no close frame, so no code from the server
    expect(closed.code).toBe(1006);
    await eventually(() => expect(server.hub.stats().connections).toBe(1));
    expect(ben.closes).toEqual([]);
    expect(ben.provider.wsconnected).toBe(true);
  });

  it('keeps a socket that answers pings while its document is still loading (a slow cold join)', async () => {
    const store = new ControlledStore();
    const release = store.holdLoads();
    server = await newServer({ store, pingIntervalMs: 20 });
    const ana = server.connect(ANA);
    await eventually(() => expect(store.loads).toBe(1));
    // several ping rounds while the load waits
    await new Promise((resolve) => setTimeout(resolve, 150));
    release();
    await ana.synced();
    expect(ana.closes).toEqual([]);
    expect(store.loads).toBe(1);
  });
});
