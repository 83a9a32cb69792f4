import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, describe, inject } from 'vitest';
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

describe('mongoDocStore (real FerretDB/MongoDB)', () =>
  docStoreContract(async () => {
    const uri = withDatabaseName(inject('mongoUri'), `kb_store_${randomBytes(4).toString('hex')}`);
    const connection = await mongoose.createConnection(uri, { retryWrites: false }).asPromise();
    connections.push(connection);
    const store = mongoDocStore(connection);
    await Promise.all(Object.values(connection.models).map((m) => m.init()));
    return store;
  }));
