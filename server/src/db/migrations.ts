import type { Collection, Connection } from 'mongoose';

/**
 * Data moves that run once per database: a marker in `migrations`, read by `_id` (cheap on every
 * start), records that a move finished. A move must be safe to run again if it was cut off.
 * Returns what the move returned, or null when it had run before.
 */
export async function runOnce<T extends Record<string, unknown>>(
  connection: Connection,
  marker: string,
  move: () => Promise<T>,
): Promise<T | null> {
  const migrations = connection.collection<{ _id: string; at: Date }>('migrations');
  if (await migrations.findOne({ _id: marker })) return null;
  const result = await move();
  await migrations
    .updateOne({ _id: marker }, { $set: { at: new Date(), ...result } }, { upsert: true })
    .catch((err: unknown) => {
      // several processes starting together ran the move at once; one of them recorded it
      if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
    });
  return result;
}

const DUPLICATE_KEY = 11000;

const NAMESPACE_NOT_FOUND = 26;

/** Drops a collection whole (deleting its rows one by one costs a scan each on FerretDB v1). */
export async function dropIfExists(collection: Pick<Collection, 'drop'>): Promise<void> {
  await collection.drop().catch((err: unknown) => {
    if ((err as { code?: number }).code !== NAMESPACE_NOT_FOUND) throw err;
  });
}
