import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { DatabaseUnavailableError, type DocRoom, type RoomPeer } from '../collab/room.ts';
import type { Logger } from '../logger.ts';

/** How a forwarded change reaches the writer and its refusal the process it came from. */
export interface JudgingChannel {
  forwardChange(connectionId: number, userId: string, update: Uint8Array): void;
  sendRefusal(to: string, connectionId: number, code: number, reason: string): void;
  /** The writer asks a forwarding connection for what the document lacks (sync step 1). */
  sendAskForMissing(to: string, connectionId: number): void;
}

/** Forwarding connections a writer keeps a sender for; past it the longest quiet is forgotten. */
const MAX_FORWARDING_CONNECTIONS = 256;
/** How long the writer drops a refused connection's later changes (its process closes it meanwhile). */
const REFUSED_FOR_MS = 60_000;

/** Connection ids unique within this process, so a refusal finds its connection. */
const connectionIds = new WeakMap<RoomPeer, number>();
let lastConnectionId = 0;
function idOf(peer: RoomPeer): number {
  let id = connectionIds.get(peer);
  if (id === undefined) connectionIds.set(peer, (id = ++lastConnectionId));
  return id;
}

/**
 * One judge per document across processes: the writer (the holder of its lease). In one process
 * the hub judges changes one after another against one copy; with several, each judging its own
 * clients' changes against its own copy would let two partners both add the 300th mark, or a
 * deletion race a reply. So a process that does not write the document applies none of its
 * clients' changes: it forwards each (after the connection's own checks: size, budget, decoding)
 * to the writer, which judges it like a local one and publishes what it accepts; a refusal comes
 * back and closes the sender's connection with the same code as in one process.
 *
 * A change forwarded while no process writes (the writer died or is handing over) is lost in
 * flight, but the device that made it still has it: whenever a process becomes the writer (or its
 * Redis subscription was interrupted) it says so with a new term, and every process then asks its
 * clients for what the document lacks (sync step 1), which they send again.
 */
export class WriterJudging {
  /** Connections (`process:id`) whose change was refused here → when. */
  private readonly refused = new Map<string, number>();
  /** Connections (`process:id`) of other processes whose changes this writer judged → their sender. */
  private readonly senders = new Map<string, RoomPeer>();
  /** The last writer term seen; a new one means changes may have been lost in flight. */
  private writerTerm = '';

  constructor(
    private readonly room: DocRoom,
    private readonly channel: JudgingChannel,
    private readonly logger: Logger,
  ) {
    room.judgeAtWriter((update, userId, peer) => channel.forwardChange(idOf(peer), userId, update));
  }

  /** A change forwarded by process `from`: judged here if this process writes the document. */
  judge(from: string, connectionId: number, userId: string, update: Uint8Array): void {
    if (!this.room.isStoring) return; // not the writer (any more): the new one asks for it again
    const connection = `${from}:${connectionId}`;
    if (this.refused.has(connection)) return; // as in one process: nothing after a refusal applies
    let refusal: [code: number, reason: string] | null = null;
    try {
      const reason = this.room.applyClientUpdate(update, userId, this.senderOf(connection, from, connectionId));
      if (reason) refusal = [CollabCloseCode.refusedUpdate, reason];
    } catch (err) {
      refusal =
        err instanceof DatabaseUnavailableError
          ? [CollabCloseCode.tryAgainLater, 'database unavailable']
          : [CollabCloseCode.malformedMessage, 'malformed message'];
      if (!(err instanceof DatabaseUnavailableError))
        this.logger.debug({ err, docId: this.room.docId }, 'a forwarded change could not be read');
    }
    if (!refusal) return;
    this.remember(connection);
    this.channel.sendRefusal(from, connectionId, ...refusal);
  }

  /** The writer refused a change this process forwarded: its connection closes as if refused here. */
  refusedHere(connectionId: number, code: number, reason: string): void {
    for (const peer of this.room.peers) if (connectionIds.get(peer) === connectionId) peer.refuse?.(code, reason);
  }

  /**
   * The origin of a forwarded connection's changes as the writer applies them: no local peer, so
   * an accepted change goes to every local client and through the fan-out to every other process
   * (its sender's too). One per connection, so the room's per-device bounds (what it remembers to
   * ask a device again) hold for forwarded devices as for local ones.
   */
  private senderOf(connection: string, from: string, connectionId: number): RoomPeer {
    let sender = this.senders.get(connection);
    if (!sender) {
      sender = {
        sendUpdate: () => undefined,
        sendAwareness: () => undefined,
        askForMissing: () => this.channel.sendAskForMissing(from, connectionId),
      };
      if (this.senders.size >= MAX_FORWARDING_CONNECTIONS) this.senders.delete(this.senders.keys().next().value!);
    }
    this.senders.delete(connection); // re-inserted: the longest quiet goes first past the limit
    this.senders.set(connection, sender);
    return sender;
  }

  /** The writer asks a connection of this process for what the document lacks. */
  askedForMissing(connectionId: number): void {
    for (const peer of this.room.peers) if (connectionIds.get(peer) === connectionId) peer.askForMissing?.();
  }

  /** A state announcement carried the writer's term (`process:n`; empty from a non-writer). */
  writerSeen(term: string): void {
    if (term === '' || term === this.writerTerm) return;
    this.writerTerm = term;
    this.askClientsForMissing();
  }

  /** This process just became the writer: changes its own clients forwarded meanwhile went nowhere. */
  becameWriter(term: string): void {
    this.writerTerm = term;
    this.askClientsForMissing();
  }

  private askClientsForMissing(): void {
    for (const peer of this.room.peers) peer.askForMissing?.();
  }

  private remember(connection: string): void {
    const now = Date.now();
    for (const [key, at] of this.refused) {
      if (now - at < REFUSED_FOR_MS) break; // in insertion order: the rest are younger
      this.refused.delete(key);
    }
    this.refused.set(connection, now);
  }
}
