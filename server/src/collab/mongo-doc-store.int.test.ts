import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { withDatabaseName } from '../../../tests/helpers/test-server.ts';
import { docStoreContract } from './doc-store.contract.ts';
import { mongoDocStore } from './mongo-doc-store.ts';

const connections: mongoose.Connection[] = [];

afterAll(async () => {
  for (const c of connections) {
    await c.dropDatabase().catch(() => undefined);
    await c.close();
  }
});

/** A store on a database of its own, so tests never see each other's documents. */
async function freshStore() {
  const uri = withDatabaseName(inject('mongoUri'), `kb_store_${randomBytes(4).toString('hex')}`);
  const connection = await mongoose.createConnection(uri, { retryWrites: false }).asPromise();
  connections.push(connection);
  const store = mongoDocStore(connection);
  await Promise.all(Object.values(connection.models).map((m) => m.init()));
  return { store, connection };
}

describe('mongoDocStore (real FerretDB/MongoDB)', () => {
  docStoreContract(async () => (await freshStore()).store);

  it('sweeps the log entries a snapshot covers', async () => {
    const { store, connection } = await freshStore();
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 5; i++) doc.getMap('m').set(`k${i}`, i);
    await store.load('swept');
    await store.appendMany(updates.map((update, i) => ({ docId: 'swept', seq: i + 1, update })));
    const log = connection.collection('yjs_updates');
    expect(await log.countDocuments({ docId: 'swept' })).toBe(5);
    await store.compact('swept', Y.encodeStateAsUpdate(doc), 5, true);
    await store.sweep();
    expect(await log.countDocuments({ docId: 'swept' })).toBe(0);
  });
});
