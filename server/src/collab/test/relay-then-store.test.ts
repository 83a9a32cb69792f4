import { afterEach, describe, expect, it } from 'vitest';
import { addAnnotation, readAnnotations, updateAnnotation } from '@kneadback/shared/docs/debrief-doc';
import { ControlledStore, transientError } from './controlled-store.ts';
import { ANA, DOC, eventually, markInput, newServer, type CoreServer } from './core-server.ts';

let server: CoreServer;
afterEach(() => server?.stop());

const texts = (doc: Parameters<typeof readAnnotations>[0]) => readAnnotations(doc).map((m) => m.text);

describe('relay then store', () => {
  it('shows a change to the partner at once and stores it after, while the database is slow', async () => {
    const store = new ControlledStore();
    server = await newServer({ store });
    const { ana, ben } = await server.partners();
    const release = store.holdAppends();

    const mark = addAnnotation(ana.doc, ANA.id, markInput('relayed first'));
    await eventually(() => expect(texts(ben.doc)).toEqual(['relayed first']));
    // on its way to the database, not there yet
    expect(store.appendCalls.length).toBeGreaterThan(0);
    expect(readAnnotations(await store.stored(DOC))).toEqual([]);

    release();
    await eventually(async () => expect(texts(await store.stored(DOC))).toEqual(['relayed first']));
    updateAnnotation(ben.doc, mark.id, { text: 'and back' });
    await eventually(() => expect(texts(ana.doc)).toEqual(['and back']));
    await eventually(async () => expect(texts(await store.stored(DOC))).toEqual(['and back']));
  });

  it('stores changes that arrive while a write is in flight together, in the next write', async () => {
    const store = new ControlledStore();
    server = await newServer({ store });
    const ana = server.connect(ANA);
    await ana.synced();
    addAnnotation(ana.doc, ANA.id, markInput('zero')); // Ana's device is known from here on
    await eventually(async () => expect(texts(await store.stored(DOC))).toEqual(['zero']));
    const before = store.appendCalls.length;
    const release = store.holdAppends();
    addAnnotation(ana.doc, ANA.id, markInput('one'));
    await eventually(() => expect(store.appendCalls.length).toBe(before + 1));
    for (const text of ['two', 'three', 'four']) addAnnotation(ana.doc, ANA.id, markInput(text));
    await eventually(() => expect(readAnnotations(server.hub.loadedDoc(DOC)!)).toHaveLength(5));
    release();
    await eventually(async () =>
      expect(texts(await store.stored(DOC)).sort()).toEqual(['four', 'one', 'three', 'two', 'zero']),
    );
    // the first write, then one for the three that waited behind it
    expect(store.appendCalls.slice(before).map((batch) => batch.length)).toEqual([1, 3]);
  });

  it('keeps relaying while the database fails, and stores everything once it answers', async () => {
    const store = new ControlledStore();
    server = await newServer({ store });
    const { ana, ben } = await server.partners();
    store.appendErrors.push(transientError, transientError);
    addAnnotation(ana.doc, ANA.id, markInput('during the outage'));
    await eventually(() => expect(texts(ben.doc)).toEqual(['during the outage']));
    await eventually(async () => expect(texts(await store.stored(DOC))).toEqual(['during the outage']));
    expect(store.appendErrors).toEqual([]);
  });
});
