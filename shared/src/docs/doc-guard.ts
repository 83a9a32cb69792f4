import * as Y from 'yjs';
import { DEVICES_ROOT, SERVER_DEVICE, deviceOwner } from './devices.ts';
import {
  clientsAwaited,
  clocksWithHeld,
  entriesOverwrittenBy,
  hasHiddenContent,
  holdsChanges,
  integratedSince,
  keysWrittenUnderRoot,
  pendingBytes,
  heldChanges,
  restoreHeld,
  readChanges,
  sameClocks,
  withoutDeletes,
  type DocChange,
} from './doc-changes.ts';

export interface JudgeContext {
  /** Who sent the change. Yjs does not record who deleted something: plain deletions are the sender's. */
  sender: string;
  /** Who writes with a Yjs client id (undefined: no known person). */
  ownerOf(clientId: number): string | undefined;
  now: number;
}

/**
 * A kind of live document (debrief, technique note...): the root maps of its shape, its size
 * limit and its rules. Each kind's module in shared/src/docs exports one; the hub only asks it.
 */
export interface DocKind {
  name: string;
  roots: readonly string[];
  /**
   * Rich-text roots (Y.XmlFragment, as editors bound to Yjs write them). Their content is not
   * maps: the kind's judge gets every change under them and decides alone.
   */
  fragments?: readonly string[];
  maxBytes: number;
  /** Why these changes are refused, or null when every one is allowed. `doc` shows the result. */
  judge(doc: Y.Doc, changes: readonly DocChange[], ctx: JudgeContext): string | null;
}

/** A document's own size limit (asked at each change: it may move), with the reason a change past it is refused. */
export interface SizeLimit {
  bytes(): number;
  reason: string;
}

export type Admission =
  | {
      ok: true;
      /** What the shadow integrated (null: nothing new); apply exactly this to the live document. */
      applied: Uint8Array | null;
      /** Device ids first written by the sender: store them with the change. */
      newDevices: Map<number, string>;
      /**
       * Parts of the change left out until the server holds other people's changes it lost in a
       * crash (client → the clock it must reach): then ask the sender for what the server lacks
       * again (sync step 1); its answer carries them and is judged against what is known by then.
       */
      askAgainAt: Map<number, number>;
      /**
       * It completed another person's changes held for it (after a crash): `applied` holds them,
       * and the sender lacks them too.
       */
      completedOthers: boolean;
    }
  | { ok: false; reason: string };

/** What a sender may apply of an update, and what was left out of it (see DocGuard.ownPart). */
interface OwnPart {
  update: Uint8Array;
  newDevices: Map<number, string>;
  /** Another person's changes the server lacks: client → the clock they reach. */
  othersChanges: Map<number, number>;
  /** Deletions of another person's changes the server lacks: client → the clock they reach. */
  othersDeletes: Map<number, number>;
}

/**
 * Changes waiting for ones they build on: only a device's own earlier changes, sent moments later
 * in the same sync (everything else a device has came through the server). Yjs re-reads the whole
 * held buffer on every update, so it stays small.
 */
const MAX_PENDING_BYTES = 256 * 1024;
const MAX_PENDING_ADMISSIONS = 200;

const ADMIT_ORIGIN = Symbol('admit');
const MIRROR_ORIGIN = Symbol('mirror');

/**
 * Judges incoming changes by what they do, before the live document sees them: each update is
 * applied to a shadow copy, the transaction's effects (keys with old and new values, deletions)
 * are read and judged by the document kind's rules, and only an accepted change (exactly the part
 * the shadow integrated) goes on to the live document. Changes Yjs holds back because they build
 * on missing ones stay in the shadow and are judged in the transaction that integrates them, so
 * nothing reaches the live document unjudged. After a refusal the shadow is rebuilt from the live
 * document.
 */
export class DocGuard {
  /**
   * Copied from the live document when the first change needs judging, not when it loads: most
   * documents opened are only read (a device syncing sends back nothing new), and a copy doubles
   * a document's memory. null: not built, or let go while quiet (see rest).
   */
  private copy: Y.Doc | null = null;
  /** Encoded size of the document, over-estimated cheaply; measured when it passes the limit. */
  private approxBytes = 0;
  /** Admissions in a row that left changes held for missing history. */
  private pendingAdmissions = 0;
  /** A tighter size limit for this document than its kind's (see limitSize). */
  private limit: SizeLimit | null = null;

  constructor(
    private readonly kind: DocKind,
    private readonly live: Y.Doc,
  ) {}

  private get shadow(): Y.Doc {
    if (!this.copy) {
      this.copy = this.copyOfLive();
      this.approxBytes = Y.encodeStateAsUpdate(this.copy).length;
    }
    return this.copy;
  }

  /** Throws on bytes that are not a Yjs update (a malformed message, not a refused change). */
  admit(update: Uint8Array, sender: string, now = Date.now()): Admission {
    // Nothing the live document lacks (a device in step syncing): no effect to judge. With a
    // shadow built, it may hold changes this one completes: those are judged as usual.
    if (!this.copy && Y.snapshotContainsUpdate(Y.snapshot(this.live), update)) {
      return { ok: true, applied: null, newDevices: new Map(), askAgainAt: new Map(), completedOthers: false };
    }
    const own = this.ownPart(update, sender);
    const { newDevices } = own;
    const ctx: JudgeContext = {
      sender,
      now,
      ownerOf: (client) => newDevices.get(client) ?? deviceOwner(this.shadow, client),
    };
    let attempt = this.tryApply(own.update, ctx);
    if (!attempt.ok && attempt.completedOthers) {
      // Someone else's held changes, completed by this one, broke a rule: that is theirs, not
      // this sender's. The shadow was rebuilt without them; judge this change on its own.
      attempt = this.tryApply(own.update, ctx);
    }
    if (attempt.ok) {
      const { applied, completedOthers } = attempt;
      return { ok: true, applied, newDevices, askAgainAt: own.othersDeletes, completedOthers };
    }
    if (own.othersChanges.size === 0) return { ok: false, reason: attempt.reason };
    // The device sent a partner's changes the server lost: its own may rest on them (a reply
    // under a lost mark). Judged again, whole, once the partner's device has sent them.
    return {
      ok: true,
      applied: null,
      newDevices: new Map(),
      askAgainAt: laterOf(own.othersChanges, own.othersDeletes),
      completedOthers: false,
    };
  }

  /**
   * The part of an update the sender may send: changes under device ids that are theirs (or new).
   * Another person's changes the server lacks can reach a device only through the server, which
   * lost them (relayed, then a crash before they were stored): they are left out, and their
   * author's own device sends them again. So are the lost server's own (a device id that records
   * device ids is the server's, never the sender's): the server binds the sender's devices again,
   * and a device id those lost records bind to someone else is not taken for the sender's new one
   * (believing them only ever leaves more of the sender's update out).
   * Nothing else tells a device that sends back a partner's lost changes from one that forges
   * changes under the partner's device id: either way they have no effect.
   *
   * Deletions left out: of another person's changes the server lacks (Yjs would hold them and
   * apply them whenever those clocks arrive, whoever sends them: a partner's future edits), and
   * of map values that a left-out change writes over (it deletes them itself when it integrates,
   * judged as its writer's; the sender's device only shows that overwrite).
   */
  private ownPart(update: Uint8Array, sender: string): OwnPart {
    const newDevices = new Map<number, string>();
    const othersChanges = new Map<number, number>();
    let lostServer: { ids: Set<number>; bindings: Map<string, unknown> } | undefined;
    const isSenders = (client: number) => newDevices.has(client) || deviceOwner(this.shadow, client) === sender;
    // decoded once for both what it reaches and what it deletes: half the guard's decoding cost
    const decoded = Y.decodeUpdate(update);
    for (const [client, clock] of clocksReached(decoded.structs)) {
      if (clock <= Y.getState(this.shadow.store, client)) continue; // re-sent: proves nothing
      const owner = deviceOwner(this.shadow, client);
      if (owner === sender) continue;
      if (owner === undefined) {
        lostServer ??= lostServerRecords(update);
        const boundTo = lostServer.bindings.get(String(client)) ?? sender;
        if (!lostServer.ids.has(client) && boundTo === sender) {
          newDevices.set(client, sender);
          continue;
        }
      }
      othersChanges.set(client, clock);
    }
    const ownChanges =
      othersChanges.size === 0
        ? update
        : Y.diffUpdate(
            update,
            Y.encodeStateVector(new Map([...othersChanges.keys()].map((c) => [c, Number.MAX_SAFE_INTEGER]))),
          );
    const leaveOut = new Map<number, [number, number][]>();
    // diffUpdate keeps an update's deletions as they are: the decoded ones are ownChanges' too
    for (const client of decoded.ds.clients.keys()) {
      if (!isSenders(client)) leaveOut.set(client, [[Y.getState(this.shadow.store, client), Infinity]]);
    }
    const overwrittenByOthers =
      othersChanges.size === 0 ? [] : entriesOverwrittenBy(update, this.shadow, (c) => othersChanges.has(c));
    for (const { client, clock } of overwrittenByOthers) {
      leaveOut.set(client, [...(leaveOut.get(client) ?? []), [clock, clock + 1]]);
    }
    if (leaveOut.size === 0) return { update: ownChanges, newDevices, othersChanges, othersDeletes: new Map() };
    const { update: kept, leftOut } = withoutDeletes(ownChanges, leaveOut);
    // Asked again only for deletions reaching past what the server has of their client. An
    // overwritten value's deletion needs no second asking (the overwrite deletes it), and one the
    // server has received already would have the device asked again at once, answer the same,
    // and again, until the overwrite's author comes back.
    const othersDeletes = new Map(
      [...leftOut].filter(([client, end]) => !isSenders(client) && end > Y.getState(this.shadow.store, client)),
    );
    return { update: kept, newDevices, othersChanges, othersDeletes };
  }

  private tryApply(
    update: Uint8Array,
    ctx: JudgeContext,
  ):
    | { ok: true; applied: Uint8Array | null; completedOthers: boolean }
    | { ok: false; reason: string; completedOthers: boolean } {
    let reason: string | null = null;
    /** The shadow's state before this change, when it integrated anything. */
    let before: Map<number, number> | null = null;
    let completedOthers = false;
    const judge = (tr: Y.Transaction) => {
      if (tr.origin !== ADMIT_ORIGIN) return;
      const grew = [...tr.afterState].some(([client, clock]) => clock > (tr.beforeState.get(client) ?? 0));
      if (grew || tr.deleteSet.clients.size > 0) before = tr.beforeState;
      completedOthers = [...tr.afterState].some(
        ([client, clock]) => clock > (tr.beforeState.get(client) ?? 0) && ctx.ownerOf(client) !== ctx.sender,
      );
      try {
        reason ??= this.judge(tr, ctx);
      } catch (err) {
        reason = `the change could not be judged (${(err as Error).message})`;
      }
    };
    const shadow = this.shadow;
    const heldBefore = holdsChanges(shadow);
    const held = heldChanges(shadow);
    shadow.on('afterTransaction', judge);
    try {
      Y.applyUpdate(shadow, update, ADMIT_ORIGIN);
    } catch (err) {
      this.rebuild(); // whatever part applied must not stay
      throw err;
    } finally {
      shadow.off('afterTransaction', judge);
    }
    if (reason === null) reason = this.judgeHeldChanges(shadow, ctx);
    if (reason === null) reason = this.checkSize(update.length);
    if (reason === null) {
      const integrated: Map<number, number> | null = before;
      return { ok: true, applied: integrated && this.integrated(update, integrated, heldBefore), completedOthers };
    }
    this.rebuild();
    // What was held before this change still waits for its history (a partner's change held
    // for the sender's own lost one, after a crash): unless this change completed it, keep it.
    if (!completedOthers) restoreHeld(this.shadow, held);
    return { ok: false, reason, completedOthers };
  }

  /**
   * What the shadow just integrated, for the live document. When the shadow holds nothing back,
   * before or after, the live document (in step with it) integrates exactly what the shadow did
   * from the update itself: no re-encoding on the live path. Otherwise, what the shadow holds
   * must not reach the live document: the structs it integrated since `before`, and its deletions
   * (applying those again to the live document changes nothing).
   */
  private integrated(update: Uint8Array, before: Map<number, number>, heldBefore: boolean): Uint8Array {
    if (!heldBefore && !holdsChanges(this.shadow)) return update;
    return integratedSince(this.shadow, before);
  }

  /**
   * Which of `awaiting` (anything → the clocks it waits for: client → clock, see askAgainAt) the
   * server has received any of, held changes included: a partner's change held for the sender's
   * left-out one integrates with it.
   */
  received<K>(awaiting: ReadonlyMap<K, ReadonlyMap<number, number>>): K[] {
    const clockOf = clocksWithHeld(this.copy ?? this.live);
    return [...awaiting]
      .filter(([, clocks]) => [...clocks].some(([client, clock]) => clockOf(client) >= clock))
      .map(([key]) => key);
  }

  /** Keeps the shadow in step with changes the server itself made to the live document. */
  mirror(update: Uint8Array): void {
    if (!this.copy) return; // built later from the live document, which has it
    Y.applyUpdate(this.copy, update, MIRROR_ORIGIN);
    this.approxBytes += update.length;
  }

  /**
   * A safety net: the shadow must hold what the live document holds (held changes aside). If
   * some path let them drift apart, judging would be against the wrong document: rebuild.
   * Returns false when it had to.
   */
  ensureInStep(): boolean {
    const same = !this.copy || sameClocks(this.copy, this.live);
    if (!same) this.rebuild();
    return same;
  }

  /**
   * Lets the shadow go while the document is quiet; the next change copies the live document
   * again. Kept while it holds changes waiting for their history: those exist nowhere else.
   */
  rest(): void {
    if (!this.copy || pendingBytes(this.copy) > 0) return;
    this.copy.destroy();
    this.copy = null;
  }

  destroy(): void {
    this.copy?.destroy();
  }

  private judge(tr: Y.Transaction, ctx: JudgeContext): string | null {
    return judgeTransaction(this.kind, this.shadow, tr, ctx);
  }

  /**
   * Changes Yjs holds until the history they build on arrives: a device's own earlier changes
   * (sent moments later in the same sync), or a partner's the server lost in a crash (their device
   * sends them again). Never the server's own: those it applies without judging, so a change
   * waiting on them would take effect unjudged. A held change completed by someone else's change
   * is judged in that transaction as its writer's (see admit).
   */
  private judgeHeldChanges(shadow: Y.Doc, ctx: JudgeContext): string | null {
    const awaited = clientsAwaited(shadow);
    if (awaited.length === 0) {
      this.pendingAdmissions = 0;
      return null;
    }
    if (awaited.some((client) => ctx.ownerOf(client) === SERVER_DEVICE)) {
      return "changes that wait for the server's changes";
    }
    if (pendingBytes(shadow) > MAX_PENDING_BYTES || ++this.pendingAdmissions > MAX_PENDING_ADMISSIONS) {
      return 'too many changes with missing history';
    }
    return null;
  }

  /**
   * Holds this document under `limit` as well as its kind's size limit (a note under what its
   * owner's storage has room for), or under its kind's alone again (null). Changes that leave it
   * within the limit pass: one set no lower than the document's size lets it always shrink.
   */
  limitSize(limit: SizeLimit | null): void {
    this.limit = limit;
  }

  private checkSize(added: number): string | null {
    this.approxBytes += added;
    const max = Math.min(this.kind.maxBytes, this.limit?.bytes() ?? Infinity);
    if (this.approxBytes <= max) return null;
    this.approxBytes = Y.encodeStateAsUpdate(this.shadow).length;
    if (this.approxBytes <= max) return null;
    if (this.limit && this.approxBytes <= this.kind.maxBytes) return this.limit.reason;
    const limitKb = Math.round(this.kind.maxBytes / 1024);
    return `the ${this.kind.name} would grow past its size limit (${limitKb} KB)`;
  }

  private rebuild(): void {
    this.copy?.destroy();
    this.copy = null;
  }

  private copyOfLive(): Y.Doc {
    const shadow = new Y.Doc({ gc: true, guid: this.live.guid }); // no random guid: see DocRoom.doc
    typeRoots(this.kind, shadow);
    Y.applyUpdate(shadow, Y.encodeStateAsUpdate(this.live), MIRROR_ORIGIN);
    return shadow;
  }
}

/** Why the kind's rules refuse what a transaction did to `doc`, or null when they allow it. */
function judgeTransaction(kind: DocKind, doc: Y.Doc, tr: Y.Transaction, ctx: JudgeContext): string | null {
  const changes = readChanges(tr);
  for (const change of changes) {
    const root = change.path[0] ?? '';
    if (root === DEVICES_ROOT) return 'device ids are recorded by the server only';
    if (kind.fragments?.includes(root)) continue;
    if (!kind.roots.includes(root)) return `"${root}" is not part of a ${kind.name}`;
    if (change.kind === 'content') return `content outside the ${kind.name}'s shape`;
    if (change.packed) return 'several values written under one key';
    if (change.newValue instanceof Y.Map && hasHiddenContent(change.newValue as Y.Map<unknown>)) {
      return 'a value carries hidden content';
    }
  }
  return kind.judge(doc, changes, ctx);
}

/**
 * Whether `doc` stays within its kind's size limit after `change`. The server's own edits skip the
 * judge, so one that adds to a document asks first: past the limit every later change that adds
 * anything, by anyone, would be refused. `addsAtMost`: a bound on what the change adds, when it has
 * one; while the document is that far below the limit no copy is needed (copying a 4 MB debrief
 * takes tens of milliseconds). Otherwise the change is tried on a copy.
 */
export function fitsAfter(
  kind: DocKind,
  doc: Y.Doc,
  change: (doc: Y.Doc) => void,
  opts: { addsAtMost?: number } = {},
): boolean {
  if (opts.addsAtMost !== undefined && Y.encodeStateAsUpdate(doc).length + opts.addsAtMost <= kind.maxBytes) {
    return true;
  }
  return onCopy(kind, doc, (trial) => {
    trial.transact(() => change(trial));
    return Y.encodeStateAsUpdate(trial).length <= kind.maxBytes;
  });
}

/**
 * A change the server makes for `sender` out of content it did not write itself (restoring a
 * version kept under older rules, or crafted before a rule tightened), judged on a copy as if
 * the sender's device had sent it: why the kind's rules refuse it (null: they allow it), and the
 * document's encoded size after it (the caller holds it to the size limits).
 */
export function trialAsSender(
  kind: DocKind,
  doc: Y.Doc,
  change: (doc: Y.Doc) => void,
  sender: string,
  now = Date.now(),
): { refusal: string | null; bytes: number } {
  return onCopy(kind, doc, (trial) => {
    const ctx: JudgeContext = {
      sender,
      now,
      ownerOf: (client) => (client === trial.clientID ? sender : deviceOwner(trial, client)),
    };
    let refusal: string | null = null;
    const judge = (tr: Y.Transaction) => {
      try {
        refusal ??= judgeTransaction(kind, trial, tr, ctx);
      } catch (err) {
        refusal = `the change could not be judged (${(err as Error).message})`;
      }
    };
    trial.on('afterTransaction', judge);
    try {
      trial.transact(() => change(trial));
    } finally {
      trial.off('afterTransaction', judge);
    }
    return { refusal, bytes: Y.encodeStateAsUpdate(trial).length };
  });
}

/** Typed roots first, so a change to them reads as a map (or fragment) change. */
function typeRoots(kind: DocKind, doc: Y.Doc): void {
  for (const root of [...kind.roots, DEVICES_ROOT]) doc.getMap(root);
  for (const root of kind.fragments ?? []) doc.getXmlFragment(root);
}

/** Runs `use` on a throwaway copy of `doc` whose own edits encode exactly as the live ones will. */
function onCopy<T>(kind: DocKind, doc: Y.Doc, use: (trial: Y.Doc) => T): T {
  const trial = new Y.Doc({ gc: true, guid: doc.guid });
  try {
    typeRoots(kind, trial);
    Y.applyUpdate(trial, Y.encodeStateAsUpdate(doc));
    // the live document's client id (set after loading, or Yjs takes it for another device's and
    // picks a new one)
    trial.clientID = doc.clientID;
    return use(trial);
  } finally {
    trial.destroy();
  }
}

/** Per client, the clock after its last struct in an update (what `Y.parseUpdateMeta(update).to` says). */
function clocksReached(structs: readonly (Y.Item | Y.GC | Y.Skip)[]): Map<number, number> {
  const to = new Map<number, number>();
  for (const struct of structs) to.set(struct.id.client, struct.id.clock + struct.length);
  return to;
}

/** Per client, the later of two clocks. */
function laterOf(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): Map<number, number> {
  const out = new Map(a);
  for (const [client, clock] of b) out.set(client, Math.max(clock, out.get(client) ?? 0));
  return out;
}

/** Device records in an update: written by a server, one that lost them in a crash. */
function lostServerRecords(update: Uint8Array): { ids: Set<number>; bindings: Map<string, unknown> } {
  const written = keysWrittenUnderRoot(update, DEVICES_ROOT);
  return { ids: new Set(written.map((w) => w.writer)), bindings: new Map(written.map((w) => [w.key, w.value])) };
}
