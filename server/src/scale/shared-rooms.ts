import type { RoomSharing, SharedRoom } from '../collab/hub.ts';
import type { DocRoom } from '../collab/room.ts';
import type { Logger } from '../logger.ts';
import type { DocFanout, RoomLink } from './doc-fanout.ts';
import type { Leases } from './leases.ts';

interface Held {
  room: DocRoom;
  link: RoomLink;
  attachWriter: () => (() => Promise<void>) | void;
  detachWriter: (() => Promise<void>) | undefined;
  /** Until when the lease surely stays ours (the start of the last renewal + its ttl). */
  validUntil: number;
  /** A renewal or writer change running: the next tick skips this room. */
  busy: Promise<void> | null;
  leaving: boolean;
}

/**
 * Documents held by several server processes at once. Every process relays changes live (the
 * fan-out); exactly one, the holder of the document's lease, judges its clients' changes (the
 * others forward theirs to it: writer-judges.ts), stores them, compacts and projects: it receives
 * every change through the fan-out, so it writes the whole document. Every process
 * holding the room tries for the lease each renewal tick, so when the writer dies or unloads the
 * document, another holder becomes the writer within about one lease ttl.
 */
export class SharedRooms implements RoomSharing {
  private readonly held = new Set<Held>();
  /** Leases taken by claim() for rooms still loading: docId → until when they surely stay ours. */
  private readonly claimed = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly fanout: DocFanout,
    private readonly leases: Leases,
    private readonly logger: Logger,
    renewEveryMs = Math.floor(leases.ttlMs / 4),
  ) {
    this.timer = setInterval(() => {
      for (const held of this.held) if (!held.busy && !held.leaving) void this.turn(held);
    }, renewEveryMs);
    this.timer.unref();
  }

  /**
   * Takes the document's lease before its room reads the store, when nobody holds it: the usual
   * case (the first process to open a debrief) then reads once and needs no takeover snapshot.
   */
  async claim(docId: string): Promise<boolean> {
    const startedAt = Date.now();
    const held = await this.leases.hold(docId).catch((err: unknown) => {
      this.logger.warn({ err, docId }, 'shared document: taking its lease failed');
      return false;
    });
    if (held) this.claimed.set(docId, startedAt + this.leases.ttlMs);
    return held;
  }

  share(room: DocRoom, attachWriter: () => (() => Promise<void>) | void): SharedRoom {
    const link = this.fanout.join(room);
    const validUntil = this.claimed.get(room.docId) ?? 0;
    this.claimed.delete(room.docId);
    const held: Held = { room, link, attachWriter, detachWriter: undefined, validUntil, busy: null, leaving: false };
    if (room.isStoring) held.detachWriter = attachWriter() ?? undefined;
    this.held.add(held);
    const firstTurn = this.turn(held);
    return {
      writerKnown: () => firstTurn,
      beforeClose: async () => {
        held.leaving = true;
        await held.busy;
        // Not the writer: become it if nobody is, so changes only this process has get stored
        // and projected (another holder of the room, if any, has the lease and every change).
        if (!room.isStoring) await this.turn(held);
        await this.fanout.leave(link);
        // the writer's last projection
        await this.stopWriting(held, false);
      },
      afterClose: async () => {
        this.held.delete(held);
        if (held.validUntil > 0)
          await this.leases.release(room.docId).catch((err: unknown) => this.warn(err, room, 'releasing'));
      },
    };
  }

  /**
   * Runs `repair` on a document only while holding its lease: a document left open may be live
   * on another process, whose writer must not race a repair's closing snapshot.
   */
  async whileHolding(docId: string, repair: () => Promise<void>): Promise<void> {
    if (!(await this.leases.hold(docId))) return;
    try {
      await repair();
    } finally {
      await this.leases.release(docId);
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  private turn(held: Held): Promise<void> {
    held.busy = this.renew(held)
      .catch((err: unknown) => this.warn(err, held.room, 'renewing its lease'))
      .finally(() => (held.busy = null));
    return held.busy;
  }

  private async renew(held: Held): Promise<void> {
    const { room } = held;
    const startedAt = Date.now();
    let holds: boolean;
    try {
      holds = await this.leases.hold(room.docId);
    } catch (err) {
      // Redis unreachable: keep writing while the lease surely still is ours, then stop
      if (Date.now() >= held.validUntil) await this.stopWriting(held, true);
      throw err;
    }
    if (!holds) return this.stopWriting(held, true);
    held.validUntil = startedAt + this.leases.ttlMs;
    if (room.isStoring) return;
    await room.startStoring();
    this.logger.info({ docId: room.docId, owner: this.leases.owner }, 'this process now writes the document');
    held.detachWriter = held.attachWriter() ?? undefined;
    held.link.becameWriter();
  }

  private async stopWriting(held: Held, lost: boolean): Promise<void> {
    if (lost) {
      // a live writer losing its lease means it stalled longer than the lease or lost Redis
      if (held.room.isStoring)
        this.logger.warn(
          { docId: held.room.docId },
          'lost the lease of a document it wrote; another process writes it now',
        );
      held.room.stopStoring();
      held.validUntil = 0;
    }
    const detach = held.detachWriter;
    held.detachWriter = undefined;
    await detach?.();
  }

  private warn(err: unknown, room: DocRoom, what: string): void {
    this.logger.warn({ err, docId: room.docId }, `shared document: ${what} failed`);
  }
}
