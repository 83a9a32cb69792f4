import type { Connection } from 'mongoose';
import { dropIfExists, runOnce } from '../../db/migrations.ts';
import { HashBuckets } from '../../db/hash-buckets.ts';

/** Per debrief: the fingerprint of every projected annotation and the thread entries seen. */
export interface ProjectionState {
  _id: string; // the exchange id
  hashes: Record<string, string>;
  threadIds: string[];
}

/** Where every debrief's projection state was kept before the buckets. */
const LEGACY_COLLECTION = 'critique_projections';

/**
 * The projector's memory of what it last wrote, one row per debrief ever projected, rewritten by
 * every projection that changed something: in 256 buckets (`critique_projections_<xx>`), so that
 * write costs the same on a database holding months of debriefs as on a new one.
 */
export class ProjectionStates {
  private readonly buckets: HashBuckets<ProjectionState>;

  constructor(connection: Connection) {
    this.buckets = new HashBuckets<ProjectionState>(connection, LEGACY_COLLECTION);
  }

  async get(exchangeId: string): Promise<ProjectionState | null> {
    return this.buckets.of(exchangeId).findOne({ _id: exchangeId });
  }

  async put(state: ProjectionState): Promise<void> {
    const { _id, ...rest } = state;
    await this.buckets.of(_id).updateOne({ _id }, { $set: rest }, { upsert: true });
  }

  /** Moves the states of a database written before the buckets, once, before the projector runs. */
  moveLegacy(): Promise<{ moved: number } | null> {
    return this.buckets.moveFrom(LEGACY_COLLECTION);
  }
}

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
