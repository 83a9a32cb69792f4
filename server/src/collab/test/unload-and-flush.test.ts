import { afterEach, describe, expect, it } from 'vitest';
import { addAnnotation, readAnnotations } from '@kneadback/shared/docs/debrief-doc';
import { ControlledStore } from './controlled-store.ts';
import { ANA, BEN, DOC, eventually, markInput, newServer, type CoreServer } from './core-server.ts';

let server: CoreServer;
afterEach(() => server?.stop());

const texts = (doc: Parameters<typeof readAnnotations>[0]) =>
  readAnnotations(doc)
    .map((m) => m.text)
    .sort();

describe('unload', () => {
  it('unloads a document after its last client leaves, folded into a closing snapshot', async () => {
    const store = new ControlledStore();
    server = await newServer({ store, unloadDelayMs: 20 });
    const ana = server.connect(ANA);
    await ana.synced();
    for (const text of ['one', 'two']) addAnnotation(ana.doc, ANA.id, markInput(text));
    await eventually(async () => expect(await store.openDocs()).toEqual([DOC]));
    ana.destroy();

    await eventually(() => expect(server.hub.loadedDoc(DOC)).toBeUndefined());
    expect(store.compactions.at(-1)).toMatchObject({ docId: DOC, closing: true });
    expect(await store.openDocs()).toEqual([]);
    expect(texts(await store.stored(DOC))).toEqual(['one', 'two']);
    // the next visitor loads it again, whole
    const ben = server.connect(BEN);
    await ben.synced();
    expect(store.loads).toBe(2);
    expect(texts(ben.doc)).toEqual(['one', 'two']);
  });

  it('writes nothing when a document closed cleanly was only read, and snapshots it again once changed', async () => {
    const store = new ControlledStore();
    server = await newServer({ store, unloadDelayMs: 20 });
    const ana = server.connect(ANA);
    await ana.synced();
    addAnnotation(ana.doc, ANA.id, markInput('one'));
    ana.destroy();
    await eventually(() => expect(server.hub.loadedDoc(DOC)).toBeUndefined());
    expect(store.compactions).toHaveLength(1);

    const ben = server.connect(BEN);
    await ben.synced();
    expect(texts(ben.doc)).toEqual(['one']);
    ben.destroy();
    await eventually(() => expect(server.hub.loadedDoc(DOC)).toBeUndefined());
    expect(store.loads).toBe(2);
    expect(store.compactions).toHaveLength(1);

    const again = server.connect(BEN);
    await again.synced();
    addAnnotation(again.doc, BEN.id, markInput('two'));
    again.destroy();
    await eventually(() => expect(store.compactions).toHaveLength(2));
    expect(store.compactions.at(-1)).toMatchObject({ docId: DOC, closing: true });
    expect(texts(await store.stored(DOC))).toEqual(['one', 'two']);
    expect(await store.openDocs()).toEqual([]);
  });

  it('keeps the document loaded for a partner who comes back within the delay', async () => {
    const store = new ControlledStore();
    server = await newServer({ store, unloadDelayMs: 60_000 });
    const ana = server.connect(ANA);
    await ana.synced();
    const live = server.hub.loadedDoc(DOC);
    ana.destroy();
    await eventually(() => expect(server.hub.stats().connections).toBe(0));
    const back = server.connect(ANA);
    await back.synced();
    expect(server.hub.loadedDoc(DOC)).toBe(live);
    expect(store.loads).toBe(1);
  });

  it('stores changes still waiting for the database before it unloads', async () => {
    const store = new ControlledStore();
    server = await newServer({ store, unloadDelayMs: 20 });
    const ana = server.connect(ANA);
    await ana.synced();
    const release = store.holdAppends();
    addAnnotation(ana.doc, ANA.id, markInput('unstored when Ana left'));
    await eventually(() => expect(readAnnotations(server.hub.loadedDoc(DOC)!)).toHaveLength(1));
    ana.destroy();
    await eventually(() => expect(server.hub.stats().connections).toBe(0));
    expect(server.hub.loadedDoc(DOC)).toBeDefined();

    release();
    await eventually(() => expect(server.hub.loadedDoc(DOC)).toBeUndefined());
    expect(texts(await store.stored(DOC))).toEqual(['unstored when Ana left']);
    expect(await store.openDocs()).toEqual([]);
  });

  it('loads a document for a server-side edit, stores the edit, and unloads it again', async () => {
    const store = new ControlledStore();
    server = await newServer({ store, unloadDelayMs: 20 });
    await server.hub.edit(DOC, (doc) => addAnnotation(doc, BEN.id, markInput('written by the server')));
    expect(texts(await store.stored(DOC))).toEqual(['written by the server']);
    await eventually(() => expect(server.hub.loadedDoc(DOC)).toBeUndefined());
  });
});

describe('shutdown', () => {
  it('waits until every change is stored and every document closed cleanly', async () => {
    const store = new ControlledStore();
    server = await newServer({ store, unloadDelayMs: 60_000 });
    const ana = server.connect(ANA);
    const ben = server.connect(BEN, 'debrief-2');
    await Promise.all([ana.synced(), ben.synced()]);
    const release = store.holdAppends();
    addAnnotation(ana.doc, ANA.id, markInput("Ana's"));
    addAnnotation(ben.doc, BEN.id, markInput("Ben's"));
    await eventually(() => expect(store.appendCalls.length).toBeGreaterThan(0));
    let closed = false;
    const closing = server.hub.close().then(() => (closed = true));
    await eventually(() => expect(server.hub.stats().connections).toBe(0));
    expect(closed).toBe(false);

    release();
    await closing;
    expect(texts(await store.stored(DOC))).toEqual(["Ana's"]);
    expect(texts(await store.stored('debrief-2'))).toEqual(["Ben's"]);
    expect(await store.openDocs()).toEqual([]);
    expect(server.hub.stats().rooms).toBe(0);
  });
});
