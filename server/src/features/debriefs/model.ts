import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { dropIfExists, runOnce } from '../../db/migrations.ts';

/** Per debrief: the fingerprint of every projected annotation and the thread entries seen. */
const projectionStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    hashes: { type: Schema.Types.Mixed, default: {} },
    threadIds: { type: [String], default: [] },
  },
  { versionKey: false, collection: 'critique_projections', minimize: false },
);

export function projectionStateModel(connection: Connection) {
  return connection.model('CritiqueProjection', projectionStateSchema);
}
export type ProjectionStateModel = ReturnType<typeof projectionStateModel>;
export type ProjectionState = InferSchemaType<typeof projectionStateSchema>;

/**
 * Earlier versions also wrote every critique record into one shared `critiques` collection that
 * nothing read (Review reads each person's own collection); it cost a write per changed
 * annotation, slower the bigger that collection grew on FerretDB v1. Dropped once per database.
 */
export async function dropUnreadCritiques(connection: Connection): Promise<boolean> {
  return (
    (await runOnce(connection, 'drop-critiques', async () => {
      await dropIfExists(connection.collection('critiques'));
      return {};
    })) !== null
  );
}
