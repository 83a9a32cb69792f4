import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { WebSocket } from 'ws';
import { CollabCloseCode, MAX_AWARENESS_ENTRIES } from '@kneadback/shared/collab-protocol';
import { MAX_PRESENCE_BYTES } from '@kneadback/shared/docs/presence';
import type { Logger } from '../logger.ts';
import { MessageBudget } from './message-budget.ts';
import { encodeAwarenessEntries, type AwarenessEntry } from './presence-owners.ts';
import { wouldChange } from './read-only.ts';
import { DatabaseUnavailableError, type DocRoom, type RoomPeer } from './room.ts';

// y-websocket's message types (its client provider exports them; the server does not depend on it)
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const MESSAGE_QUERY_AWARENESS = 3;

/** Beyond this much unsent data the peer is too slow to keep up and is dropped. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface CollabUser {
  id: string;
  displayName: string;
  /** The sign-in session the socket rode in on: signing out closes it. */
  sessionKey?: string;
}

export interface ConnectionChecks {
  /**
   * The presence state the others are shown for one a connection sent (parsed, with who the
   * sender is filled in by the server), or null to drop it. Only this is relayed, never the
   * sender's JSON.
   */
  presenceToRelay(state: unknown, from: { user: CollabUser; readOnly: boolean }, docId: string): object | null;
}

export class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One client's socket on one room. Messages are handled strictly in arrival order (a chain of
 * promises) so nothing is answered before the room has loaded from storage.
 */
export class CollabConnection implements RoomPeer {
  private readonly awarenessIds = new Set<number>();
  private readonly budget = new MessageBudget();
  private chain: Promise<void>;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    readonly user: CollabUser,
    /** The remote address, for the per-address connection limit. */
    readonly address: string,
    readonly room: DocRoom,
    private readonly checks: ConnectionChecks,
    private readonly logger: Logger,
    /** Called when the server refuses one of this connection's changes. */
    private readonly onRefused: () => void = () => {},
    /** May only read: a sync that would change the document is refused before it applies. */
    readonly readOnly = false,
  ) {
    this.chain = room.ready.then(() => this.greet());
    ws.on('message', (data, isBinary) => {
      const bytes = toBytes(data);
      if (!this.budget.spend(bytes.length)) {
        this.fail(new ProtocolError(CollabCloseCode.tooManyMessages, 'sending faster than the server accepts'));
        return;
      }
      this.chain = this.chain.then(() => {
        if (this.closed) return;
        if (!isBinary)
          throw new ProtocolError(CollabCloseCode.malformedMessage, 'text frames are not part of the protocol');
        return this.handle(bytes);
      });
      this.chain.catch((err: unknown) => this.fail(err));
    });
    this.chain.catch((err: unknown) => this.fail(err));
  }

  sendUpdate(update: Uint8Array): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    this.send(encoding.toUint8Array(encoder));
  }

  sendAwareness(update: Uint8Array): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, update);
    this.send(encoding.toUint8Array(encoder));
  }

  refuse(code: number, reason: string): void {
    this.fail(
      code === CollabCloseCode.tryAgainLater ? new DatabaseUnavailableError(reason) : new ProtocolError(code, reason),
    );
  }

  askForMissing(): void {
    if (!this.readOnly) this.sendStateVector(); // a reader has nothing the document may take
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.room.peers.delete(this);
    if (this.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.room.awareness, [...this.awarenessIds], this);
    }
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      this.ws.close(code, fitCloseReason(reason));
    }
  }

  private greet(): void {
    if (this.closed) return;
    this.room.peers.add(this);
    this.sendStateVector();
    const states = [...this.room.awareness.getStates().keys()];
    if (states.length > 0) this.sendAwareness(awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, states));
  }

  /** Sync step 1: the client answers with what the document lacks. */
  private sendStateVector(): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.room.doc);
    this.send(encoding.toUint8Array(encoder));
  }

  private handle(message: Uint8Array): Promise<void> | void {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC:
        return this.handleSync(decoder);
      case MESSAGE_AWARENESS:
        return this.handleAwareness(decoding.readVarUint8Array(decoder));
      case MESSAGE_QUERY_AWARENESS: {
        const states = [...this.room.awareness.getStates().keys()];
        this.sendAwareness(awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, states));
        return;
      }
      case MESSAGE_AUTH:
        return; // auth happens on upgrade; y-websocket never sends this unprompted
      default:
        throw new ProtocolError(CollabCloseCode.malformedMessage, `unknown message type ${type}`);
    }
  }

  private async handleSync(decoder: decoding.Decoder): Promise<void> {
    const step = decoding.readVarUint(decoder);
    if (step === syncProtocol.messageYjsSyncStep1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      Y.decodeStateVector(stateVector); // throws on garbage before we build a reply from it
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeSyncStep2(encoder, this.room.doc, stateVector);
      this.send(encoding.toUint8Array(encoder));
      return;
    }
    if (step !== syncProtocol.messageYjsSyncStep2 && step !== syncProtocol.messageYjsUpdate) {
      throw new ProtocolError(CollabCloseCode.malformedMessage, `unknown sync step ${step}`);
    }
    const update = decoding.readVarUint8Array(decoder);
    // yjs#498: a zero-length update makes applyUpdate loop; the smallest real one is 2 bytes.
    if (update.length < 2) throw new ProtocolError(CollabCloseCode.malformedMessage, 'empty update');
    if (this.readOnly) {
      if (wouldChange(this.room.doc, update)) throw new ProtocolError(CollabCloseCode.readOnly, 'read-only access');
      return;
    }
    const refusal = this.room.applyClientUpdate(update, this.user.id, this);
    if (refusal) throw new ProtocolError(CollabCloseCode.refusedUpdate, refusal);
  }

  /**
   * y-websocket clients re-broadcast every awareness change they see, their partner's too, so
   * entries for another connection's devices, for a client id another person owns in this
   * document (see PresenceOwners), or naming another person are dropped quietly; only the
   * sender's own presence is applied, as the kind's hooks read it (presenceToRelay). The client
   * id and clock stay the sender's: they order a device's states and time out a silent one.
   */
  private handleAwareness(update: Uint8Array): void {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > MAX_AWARENESS_ENTRIES)
      throw new ProtocolError(CollabCloseCode.refusedUpdate, 'too many presence entries');
    const ownedByOthers = new Set<number>();
    for (const peer of this.room.peers) {
      if (peer !== this && peer instanceof CollabConnection) for (const id of peer.awarenessIds) ownedByOthers.add(id);
    }
    const kept: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      if (Buffer.byteLength(json) > MAX_PRESENCE_BYTES)
        throw new ProtocolError(CollabCloseCode.refusedUpdate, 'presence too large');
      const state: unknown = JSON.parse(json);
      if (ownedByOthers.has(clientId) || !this.room.presenceOwners.mayUse(clientId, this.user.id)) continue;
      if (state === null) {
        if (this.awarenessIds.has(clientId)) kept.push({ clientId, clock, json: 'null' });
        continue;
      }
      const relayed = this.checks.presenceToRelay(state, this, this.room.docId);
      if (relayed === null) continue;
      this.awarenessIds.add(clientId);
      this.room.presenceOwners.published(clientId, this.user.id);
      kept.push({ clientId, clock, json: JSON.stringify(relayed) });
    }
    if (kept.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(this.room.awareness, encodeAwarenessEntries(kept), this);
  }

  private send(message: Uint8Array): void {
    if (this.closed) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CollabCloseCode.tooSlow, 'connection too slow');
      return;
    }
    this.ws.send(message, (err) => {
      if (err) this.close(CollabCloseCode.internalError, 'send failed');
    });
  }

  private fail(err: unknown): void {
    if (this.closed) return;
    if (err instanceof DatabaseUnavailableError) {
      closeUntilDatabaseAnswers((code, reason) => this.close(code, reason), this.logger, {
        err,
        docId: this.room.docId,
        userId: this.user.id,
      });
    } else if (err instanceof ProtocolError) {
      this.logger.warn(
        { docId: this.room.docId, userId: this.user.id, reason: err.message },
        'closing collab connection',
      );
      // a reader's device resends its local edits on every reconnect: pause it like a refused change
      if (err.code === CollabCloseCode.refusedUpdate || err.code === CollabCloseCode.readOnly) this.onRefused();
      this.close(err.code, err.message);
    } else {
      this.logger.warn({ err, docId: this.room.docId, userId: this.user.id }, 'malformed collab message');
      this.close(CollabCloseCode.malformedMessage, 'malformed message');
    }
  }
}

/**
 * The database did not answer (opening a document, or too far behind to take more changes): the
 * socket closes with 1013, so the device keeps its changes and resends them when it reconnects.
 */
export function closeUntilDatabaseAnswers(
  close: (code: number, reason: string) => void,
  logger: Logger,
  context: { err: unknown; docId: string; userId?: string },
): void {
  logger.warn(context, 'the database did not answer; the client will try again later');
  close(CollabCloseCode.tryAgainLater, 'database unavailable');
}

/**
 * A WebSocket close reason holds at most 123 UTF-8 bytes (ws throws past that, leaving the socket
 * open). Refusal reasons can quote what a client sent (a root's name, a field), so they are cut
 * by bytes, at a character boundary.
 */
const MAX_CLOSE_REASON_BYTES = 123;
function fitCloseReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_CLOSE_REASON_BYTES) return reason;
  let fitted = '';
  for (const char of reason) {
    if (Buffer.byteLength(fitted + char) > MAX_CLOSE_REASON_BYTES) break;
    fitted += char;
  }
  return fitted;
}

function toBytes(data: unknown): Uint8Array {
  if (Buffer.isBuffer(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data as Buffer[]));
  return new Uint8Array(data as ArrayBuffer);
}
