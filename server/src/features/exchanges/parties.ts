import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../db/connection.ts';
import { HashBuckets } from '../../db/hash-buckets.ts';
import { runOnce } from '../../db/migrations.ts';

/** Who is in an exchange and its day: what a debrief needs, fixed once the second partner joined. */
export interface ExchangeParties {
  exchangeDate: string;
  partnerA: string;
  partnerB: string | null;
}

interface PartiesRow {
  _id: string; // the exchange id
  exchangeDate: string;
  partnerA: string;
  partnerB: string;
}

/**
 * Settled exchanges' parties kept per process (about 150 bytes each). Every projection and every
 * device opening a debrief asks them.
 */
const MAX_KEPT = 50_000;

/**
 * The parties of settled exchanges (both partners in): nothing changes them after that (a
 * cancellation or an account deletion keeps both ids), so every process may keep them without
 * being told. Kept in memory and in 256 hash buckets (`exchange_parties_<xx>`, read by `_id`):
 * after a restart a thousand devices opening debriefs ask for hundreds of exchanges at once, and on
 * FerretDB v1 an `$in` read of the shared `exchanges` collection decodes all of it (an `$in` of
 * 100 exchanges among 10,000 took 0.5 s of FerretDB's CPU, three of them during one cold join).
 * An exchange settled before the buckets is copied into them the first time it is read, and all
 * of them once per database in the background (`fill`).
 */
export class SettledParties {
  private readonly kept = new Map<string, ExchangeParties>();
  private readonly buckets: HashBuckets<PartiesRow>;

  constructor(connection: Connection) {
    this.buckets = new HashBuckets<PartiesRow>(connection, 'exchange_parties');
  }

  /** The settled parties of the exchange, or null when not (yet) stored here. */
  async get(exchangeId: string): Promise<ExchangeParties | null> {
    const kept = this.kept.get(exchangeId);
    if (kept) return kept;
    const row = await this.buckets.read(exchangeId);
    if (!row) return null;
    const { _id, ...parties } = row;
    this.keep(_id, parties);
    return parties;
  }

  /**
   * Records parties read from the exchange itself; a no-op until both partners are in. Another
   * process may have stored the same row first: the same facts.
   */
  async settle(exchangeId: string, parties: ExchangeParties): Promise<void> {
    const { partnerB } = parties;
    if (!partnerB || this.kept.has(exchangeId)) return;
    this.keep(exchangeId, parties);
    await this.buckets
      .of(exchangeId)
      .insertOne({ _id: exchangeId, ...parties, partnerB } as never)
      .catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err;
      });
  }

  /** Copies every settled exchange's parties into the buckets, once per database. */
  fill(settledExchanges: () => AsyncIterable<PartiesRow>): Promise<{ copied: number } | null> {
    return runOnce(this.buckets.connection, 'exchange-parties-in-buckets', async () => ({
      copied: await this.buckets.insertAllAbsent(settledExchanges()),
    }));
  }

  private keep(exchangeId: string, parties: ExchangeParties): void {
    if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(exchangeId, parties);
  }
}
