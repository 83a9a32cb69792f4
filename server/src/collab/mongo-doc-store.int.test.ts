import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { withDatabaseName } from '../../../tests/helpers/test-server.ts';
import { docStoreContract } from './doc-store.contract.ts';
import { LOG_WINDOW_MS, mongoDocStore } from './mongo-doc-store.ts';

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

  it('drops a past log window once snapshots cover every document in it, and not before', async () => {
    let clock = Date.UTC(2026, 10, 27, 9, 0);
    const { connection } = await freshStore();
    const store = mongoDocStore(connection, () => clock);
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 5; i++) doc.getMap('m').set(`k${i}`, i);
    await store.load('swept');
    await store.load('pinned');
    await store.appendMany(updates.map((update, i) => ({ docId: 'swept', seq: i + 1, update })));
    await store.appendMany([{ docId: 'pinned', seq: 1, update: updates[0]! }]);
    const windowOf = async () =>
      (await connection.db!.listCollections({}, { nameOnly: true }).toArray()).filter((c) =>
        c.name.startsWith('yjs_log_'),
      );
    expect(await windowOf()).toHaveLength(1);

    await store.compact('swept', Y.encodeStateAsUpdate(doc), 5, true);
    clock += LOG_WINDOW_MS;
    await store.sweep();
    expect(await windowOf()).toHaveLength(1); // 'pinned' has no snapshot past its entry yet

    await store.compact('pinned', updates[0]!, 1, true);
    await store.sweep();
    expect(await windowOf()).toHaveLength(0);
    expect(await store.load('swept')).toMatchObject({ lastSeq: 5 });
  });
});
