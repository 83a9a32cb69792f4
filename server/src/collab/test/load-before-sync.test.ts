import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAnnotation, readAnnotations } from '@kneadback/shared/docs/debrief-doc';
import { ControlledStore } from './controlled-store.ts';
import { ANA, BEN, DOC, eventually, markInput, newServer, type CoreServer } from './core-server.ts';

let server: CoreServer;
afterEach(() => server?.stop());

/** A stored debrief holding Ana's two marks (as a previous session left it). */
async function storeWithTwoMarks(): Promise<ControlledStore> {
  const store = new ControlledStore();
  const earlier = new Y.Doc();
  addAnnotation(earlier, ANA.id, markInput('first'));
  addAnnotation(earlier, ANA.id, markInput('second'));
  await store.appendMany([{ docId: DOC, seq: 1, update: Y.encodeStateAsUpdate(earlier) }]);
  return store;
}

describe('load before sync', () => {
  it('answers no client before the stored document has loaded', async () => {
    const store = await storeWithTwoMarks();
    const release = store.holdLoads();
    server = await newServer({ store });
    const ana = server.connect(ANA);
    const marksWhenSynced: number[] = [];
    ana.provider.on('sync', (synced: boolean) => synced && marksWhenSynced.push(readAnnotations(ana.doc).length));

    await eventually(() => expect(store.loads).toBe(1));
    await eventually(() => expect(ana.provider.wsconnected).toBe(true));
    // connected and asking, but the server is still loading: nothing to sync against yet
    expect(ana.provider.synced).toBe(false);
    expect(readAnnotations(ana.doc)).toEqual([]);

    release();
    await ana.synced();
    expect(marksWhenSynced).toEqual([2]);
  });

  it("keeps a device's change sent during the load, and applies it after the stored state", async () => {
    const store = await storeWithTwoMarks();
    const release = store.holdLoads();
    server = await newServer({ store });
    const offline = new Y.Doc();
    addAnnotation(offline, BEN.id, markInput('made offline'));
    const ben = server.connect(BEN);
    await eventually(() => expect(store.loads).toBe(1));
    await eventually(() => expect(ben.provider.wsconnected).toBe(true));
    // sent at once as an update message, while the server is still loading
    Y.applyUpdate(ben.doc, Y.encodeStateAsUpdate(offline));

    release();
    await ben.synced();
    const ana = server.connect(ANA);
    await ana.synced();
    await eventually(() =>
      expect(
        readAnnotations(ana.doc)
          .map((m) => m.text)
          .sort(),
      ).toEqual(['first', 'made offline', 'second']),
    );
  });

  it('loads a document once for partners joining while it loads', async () => {
    const store = await storeWithTwoMarks();
    const release = store.holdLoads();
    server = await newServer({ store });
    const ana = server.connect(ANA);
    const ben = server.connect(BEN);
    await eventually(() => expect(store.loads).toBe(1));
    await eventually(() => expect(ana.provider.wsconnected && ben.provider.wsconnected).toBe(true));
    release();
    await Promise.all([ana.synced(), ben.synced()]);
    expect(store.loads).toBe(1);
    expect(readAnnotations(ben.doc)).toHaveLength(2);
  });
});
