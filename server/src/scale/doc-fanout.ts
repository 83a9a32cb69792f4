import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { Logger } from '../logger.ts';
import { encodeAwarenessEntries, readAwarenessEntries } from '../collab/presence-owners.ts';
import type { DocRoom, RoomPeer } from '../collab/room.ts';
import { WriterJudging, type JudgingChannel } from './writer-judges.ts';

const CHANNEL_PREFIX = 'kb:doc:';

enum MessageKind {
  /** A change applied by the sender: judged by the writer (or the server's own), so applied as is. */
  update = 0,
  awareness = 1,
  /**
   * The sender's state: answer with what it lacks; `reply` asks for the receiver's state back.
   * From the writer it carries its term (see WriterJudging).
   */
  state = 2,
  /** Send every presence you hold (a process that just opened the document has none). */
  queryAwareness = 3,
  /** A client's change for the writer to judge. */
  change = 4,
  /** The writer refused a forwarded change: for the process it came from. */
  refusal = 5,
  /** The writer asks a forwarding connection for what the document lacks (see Admission.askAgainAt). */
  askForMissing = 6,
}

/** Writer terms of this process: a new one each time it becomes a document's writer or resubscribes. */
let lastTerm = 0;

/**
 * Live documents across server processes, over Redis pub/sub: one channel per document, to which
 * exactly the processes that have it loaded subscribe (unlike a channel per server, nobody
 * decodes messages for documents it does not hold).
 *
 * Pub/sub delivers to whoever is subscribed at that moment and keeps nothing, so it can lose a
 * message: a process that subscribes late, or whose subscriber reconnects. Yjs makes the repair
 * cheap: a process announces its state (state vector and a digest of its deletions) when it
 * opens a document, after every Redis reconnect, and every `antiEntropyMs`; whoever holds more
 * answers with exactly the difference, and applying something twice changes nothing. So a lost
 * message delays an edit on one process by at most one round, and never loses it.
 */
export class DocFanout {
  private readonly links = new Map<string, RoomLink>();
  private readonly timer: NodeJS.Timeout;
  private subscribedOnce = false;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    /** This process, so it ignores its own messages. */
    private readonly instanceId: string,
    private readonly logger: Logger,
    antiEntropyMs = 10_000,
  ) {
    subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
    subscriber.on('ready', () => {
      // ioredis has subscribed again; whatever was published meanwhile never reached us
      if (this.subscribedOnce) for (const link of this.links.values()) link.resubscribed();
    });
    this.timer = setInterval(() => {
      for (const link of this.links.values()) link.announceState(true);
    }, antiEntropyMs);
    this.timer.unref();
  }

  /** Joins a loaded room to the other processes holding its document. */
  join(room: DocRoom): RoomLink {
    const channel = CHANNEL_PREFIX + room.docId;
    const link = new RoomLink(room, (message) => this.publish(channel, message), this.instanceId, this.logger);
    this.links.set(room.docId, link);
    room.peers.add(link);
    void this.subscriber.subscribe(channel).then(
      () => {
        this.subscribedOnce = true;
        if (this.links.get(room.docId) !== link) return;
        link.announceState(true);
        link.queryAwareness();
      },
      (err: unknown) => this.logger.warn({ err, docId: room.docId }, 'subscribing to a document failed'),
    );
    return link;
  }

  /** Stops relaying a room (before it closes). */
  async leave(link: RoomLink): Promise<void> {
    link.close();
    if (this.links.get(link.docId) !== link) return;
    this.links.delete(link.docId);
    // the hub opens the document again only once this room has closed, so a new subscription
    // is sent after this one ends (Redis runs a connection's commands in order)
    await this.subscriber.unsubscribe(CHANNEL_PREFIX + link.docId).catch(() => undefined);
  }

  close(): void {
    clearInterval(this.timer);
    for (const link of this.links.values()) link.close();
    this.links.clear();
  }

  private publish(channel: string, message: Uint8Array): void {
    void this.publisher
      .publish(channel, Buffer.from(message.buffer, message.byteOffset, message.byteLength))
      .catch((err: unknown) => this.logger.warn({ err, channel }, 'publishing a document change failed'));
  }

  private receive(channel: string, message: Buffer): void {
    if (!channel.startsWith(CHANNEL_PREFIX)) return;
    const link = this.links.get(channel.slice(CHANNEL_PREFIX.length));
    if (!link) return;
    try {
      link.receive(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
    } catch (err) {
      this.logger.error({ err, docId: link.docId }, 'a message from another server process could not be applied');
    }
  }
}

/**
 * One room's end of its document's channel: a peer of the room like a client connection, so the
 * room relays local changes to it, and what it receives is applied with it as the origin (relayed
 * to local clients, mirrored into the room's guard, stored by the writer, never sent back out).
 */
export class RoomLink implements RoomPeer, JudgingChannel {
  private closed = false;
  private readonly judging: WriterJudging;
  /** This process's current term as the document's writer (announced only while it writes). */
  private term = ++lastTerm;

  constructor(
    private readonly room: DocRoom,
    private readonly send: (message: Uint8Array) => void,
    private readonly instanceId: string,
    private readonly logger: Logger,
  ) {
    this.judging = new WriterJudging(room, this, logger);
  }

  get docId(): string {
    return this.room.docId;
  }

  sendUpdate(update: Uint8Array): void {
    this.message(MessageKind.update, (e) => encoding.writeVarUint8Array(e, update));
  }

  /** Each state goes with the person it belongs to: every process applies the same owners (PresenceOwners). */
  sendAwareness(update: Uint8Array): void {
    const owners = this.room.presenceOwners;
    this.message(MessageKind.awareness, (e) => {
      encoding.writeVarUint8Array(e, update);
      for (const { clientId } of readAwarenessEntries(update)) encoding.writeVarString(e, owners.publisherOf(clientId));
    });
  }

  announceState(reply: boolean): void {
    const doc = this.room.doc;
    this.message(MessageKind.state, (e) => {
      encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
      encoding.writeVarString(e, deletionsDigest(doc));
      encoding.writeUint8(e, reply ? 1 : 0);
      encoding.writeVarUint(e, this.room.isStoring ? this.term : 0);
    });
  }

  /** This process now writes the document: every process asks its clients for what it lacks. */
  becameWriter(): void {
    this.term = ++lastTerm;
    this.judging.becameWriter(`${this.instanceId}:${this.term}`);
    this.announceState(true);
  }

  /** Our subscription was interrupted: as the writer, changes forwarded meanwhile were lost. */
  resubscribed(): void {
    if (this.room.isStoring) this.becameWriter();
    else this.announceState(true);
  }

  forwardChange(connectionId: number, userId: string, update: Uint8Array): void {
    this.message(MessageKind.change, (e) => {
      encoding.writeVarUint(e, connectionId);
      encoding.writeVarString(e, userId);
      encoding.writeVarUint8Array(e, update);
    });
  }

  sendRefusal(to: string, connectionId: number, code: number, reason: string): void {
    this.message(MessageKind.refusal, (e) => {
      encoding.writeVarString(e, to);
      encoding.writeVarUint(e, connectionId);
      encoding.writeVarUint(e, code);
      encoding.writeVarString(e, reason);
    });
  }

  sendAskForMissing(to: string, connectionId: number): void {
    this.message(MessageKind.askForMissing, (e) => {
      encoding.writeVarString(e, to);
      encoding.writeVarUint(e, connectionId);
    });
  }

  queryAwareness(): void {
    this.message(MessageKind.queryAwareness, () => undefined);
  }

  close(): void {
    this.closed = true;
    this.room.peers.delete(this);
  }

  receive(message: Uint8Array): void {
    if (this.closed) return;
    const decoder = decoding.createDecoder(message);
    const sender = decoding.readVarString(decoder);
    if (sender === this.instanceId) return;
    const kind = decoding.readVarUint(decoder) as MessageKind;
    switch (kind) {
      case MessageKind.update:
        Y.applyUpdate(this.room.doc, decoding.readVarUint8Array(decoder), this);
        return;
      case MessageKind.awareness: {
        const entries = readAwarenessEntries(decoding.readVarUint8Array(decoder));
        const senders = entries.map(() => decoding.readVarString(decoder));
        const kept = this.room.presenceOwners.admitRelayed(entries, senders);
        if (kept.length > 0)
          awarenessProtocol.applyAwarenessUpdate(this.room.awareness, encodeAwarenessEntries(kept), this);
        return;
      }
      case MessageKind.state: {
        this.answerState(
          decoding.readVarUint8Array(decoder),
          decoding.readVarString(decoder),
          decoding.readUint8(decoder),
        );
        const term = decoding.readVarUint(decoder);
        this.judging.writerSeen(term === 0 ? '' : `${sender}:${term}`);
        return;
      }
      case MessageKind.queryAwareness: {
        const clients = [...this.room.awareness.getStates().keys()];
        if (clients.length > 0)
          this.sendAwareness(awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, clients));
        return;
      }
      case MessageKind.change:
        this.judging.judge(
          sender,
          decoding.readVarUint(decoder),
          decoding.readVarString(decoder),
          decoding.readVarUint8Array(decoder),
        );
        return;
      case MessageKind.refusal: {
        if (decoding.readVarString(decoder) !== this.instanceId) return;
        this.judging.refusedHere(
          decoding.readVarUint(decoder),
          decoding.readVarUint(decoder),
          decoding.readVarString(decoder),
        );
        return;
      }
      case MessageKind.askForMissing: {
        if (decoding.readVarString(decoder) !== this.instanceId) return;
        this.judging.askedForMissing(decoding.readVarUint(decoder));
        return;
      }
      default:
        this.logger.warn({ docId: this.docId, kind }, 'unknown message from another server process');
    }
  }

  /** Sends what the other process lacks; asks for what it has that we lack when it wants a reply. */
  private answerState(stateVector: Uint8Array, digest: string, reply: number): void {
    const doc = this.room.doc;
    const theirs = Y.decodeStateVector(stateVector);
    const ours = Y.decodeStateVector(Y.encodeStateVector(doc));
    const deletionsDiffer = digest !== deletionsDigest(doc);
    const weHaveMore = [...ours].some(([client, clock]) => clock > (theirs.get(client) ?? 0));
    const theyHaveMore = [...theirs].some(([client, clock]) => clock > (ours.get(client) ?? 0));
    if (weHaveMore || deletionsDiffer) this.sendUpdate(Y.encodeStateAsUpdate(doc, stateVector));
    if (reply === 1 && (theyHaveMore || deletionsDiffer)) this.announceState(false);
  }

  private message(kind: MessageKind, body: (encoder: encoding.Encoder) => void): void {
    if (this.closed) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, this.instanceId);
    encoding.writeVarUint(encoder, kind);
    body(encoder);
    this.send(encoding.toUint8Array(encoder));
  }
}

/**
 * Deletions move no state vector, so two copies with equal vectors can still differ in what they
 * deleted: compare a digest of the delete sets (Yjs writes them in a fixed order).
 */
function deletionsDigest(doc: Y.Doc): string {
  const deletesOnly = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc));
  return createHash('sha1').update(deletesOnly).digest('base64');
}
