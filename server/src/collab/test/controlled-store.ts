import * as Y from 'yjs';
import { MemoryDocStore, type LoadedDoc, type StoredUpdate } from '../doc-store.ts';

/** An error the database gives while it is busy or unreachable: retried. */
export const transientError = () => Object.assign(new Error('connection reset by peer'), { code: 'ECONNRESET' });
/** An error the database gives for what a write holds: never retried. */
export const permanentError = () => Object.assign(new Error('BSONObj size: 17000000 is invalid'), { code: 10334 });

/**
 * The in-memory store with a hand on its calls: loads and appends can be held until released,
 * or fail with given errors, and every call is counted.
 */
export class ControlledStore extends MemoryDocStore {
  loads = 0;
  appendCalls: StoredUpdate[][] = [];
  compactions: { docId: string; upToSeq: number; closing: boolean }[] = [];
  sweeps = 0;
  /** Errors the next loads / appends throw, one per call, in order. */
  loadErrors: (() => Error)[] = [];
  appendErrors: (() => Error)[] = [];
  /** Documents whose appends the database refuses for good (too large, say). */
  refusedDocs = new Set<string>();
  private readonly gates: Record<'load' | 'append' | 'compact', Promise<void> | null> = {
    load: null,
    append: null,
    compact: null,
  };

  /** Loads wait until the returned function is called. */
  holdLoads(): () => void {
    return this.hold('load');
  }

  /** Appends wait until the returned function is called. */
  holdAppends(): () => void {
    return this.hold('append');
  }

  /** Compactions wait until the returned function is called. */
  holdCompactions(): () => void {
    return this.hold('compact');
  }

  private hold(call: 'load' | 'append' | 'compact'): () => void {
    let release!: () => void;
    this.gates[call] = new Promise((resolve) => (release = resolve));
    return () => {
      this.gates[call] = null;
      release();
    };
  }

  override async load(docId: string): Promise<LoadedDoc> {
    this.loads++;
    await this.gates.load;
    const error = this.loadErrors.shift();
    if (error) throw error();
    return super.load(docId);
  }

  override async appendMany(updates: StoredUpdate[]): Promise<void> {
    this.appendCalls.push(updates);
    await this.gates.append;
    const error = this.appendErrors.shift();
    if (error) throw error();
    if (updates.some((u) => this.refusedDocs.has(u.docId))) throw permanentError();
    return super.appendMany(updates);
  }

  override async compact(docId: string, state: Uint8Array, upToSeq: number, closing: boolean): Promise<void> {
    this.compactions.push({ docId, upToSeq, closing });
    await this.gates.compact;
    return super.compact(docId, state, upToSeq, closing);
  }

  override async sweep(): Promise<void> {
    this.sweeps++;
    return super.sweep();
  }

  /** What a fresh load of `docId` would show, read without counting as a load. */
  async stored(docId: string): Promise<Y.Doc> {
    const doc = new Y.Doc();
    for (const update of (await super.load(docId)).updates) Y.applyUpdate(doc, update);
    return doc;
  }
}
