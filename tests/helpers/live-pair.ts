// Two partners editing one debrief live over real y-websocket clients, with every edit tracked
// until the partner's device shows it: edit-to-partner latency, and edits that never arrive.
// Each partner moves and rewrites their own mark (the document module's API only); an edit
// counts as seen when the partner's copy shows it or a later edit of the same sender (Yjs
// delivers one device's edits in order, so a later one implies the earlier ones arrived).
import * as Y from 'yjs';
import {
  addAnnotation,
  moveAnnotation,
  readAnnotation,
  readAnnotations,
  updateAnnotation,
} from '@kneadback/shared/docs/debrief-doc';
import { connectDebrief, type DebriefClient } from './collab-client.ts';
import { upperTrapeziusPressure, type Partners } from './debrief-fixtures.ts';
import { eventually } from './eventually.ts';

export type Side = 'a' | 'b';

export interface EditSample {
  from: Side;
  seq: number;
  sentAt: number;
  latencyMs: number;
  tag: string;
}

interface Pending {
  sentAt: number;
  tag: string;
}

const ignoreInvalid = () => undefined;
const other = (side: Side): Side => (side === 'a' ? 'b' : 'a');

export class LivePair {
  readonly samples: EditSample[] = [];
  sent = 0;
  private readonly pending: Record<Side, Map<number, Pending>> = { a: new Map(), b: new Map() };
  private readonly seq: Record<Side, number> = { a: 0, b: 0 };

  private constructor(
    readonly partners: Partners,
    readonly a: DebriefClient,
    readonly b: DebriefClient,
    readonly marks: Record<Side, string>,
    private readonly label: string,
  ) {
    this.listen('a');
    this.listen('b');
  }

  /** Connects both partners, gives each a mark, and waits until each sees the other's. */
  static async open(baseUrl: string, partners: Partners, label: string): Promise<LivePair> {
    const a = connectDebrief(baseUrl, partners.a.cookieHeader, partners.exchangeId);
    const b = connectDebrief(baseUrl, partners.b.cookieHeader, partners.exchangeId);
    await Promise.all([a.synced(), b.synced()]);
    const markA = addAnnotation(a.doc, partners.a.user.id, { ...upperTrapeziusPressure, text: `${label}:a:0` }).id;
    const markB = addAnnotation(b.doc, partners.b.user.id, {
      ...upperTrapeziusPressure,
      round: 2,
      text: `${label}:b:0`,
    }).id;
    await eventually(
      () => {
        if (!readAnnotation(a.doc, markB, ignoreInvalid) || !readAnnotation(b.doc, markA, ignoreInvalid))
          throw new Error(`pair ${label}: the partners do not see each other's marks`);
      },
      { timeout: 15_000 },
    );
    return new LivePair(partners, a, b, { a: markA, b: markB }, label);
  }

  /** One edit by `from`: moves their mark and rewrites its note in one transaction. */
  edit(from: Side, tag = ''): void {
    const client = this[from];
    const seq = ++this.seq[from];
    const mark = this.marks[from];
    this.pending[from].set(seq, { sentAt: performance.now(), tag });
    this.sent++;
    client.doc.transact(() => {
      moveAnnotation(client.doc, mark, {
        view: 'posterior',
        x: 168 + (seq % 5),
        y: 149,
        regionId: 'posterior-upper-trapezius-left',
      });
      updateAnnotation(client.doc, mark, { text: `${this.label}:${from}:${seq}` });
    });
  }

  get inFlight(): number {
    return this.pending.a.size + this.pending.b.size;
  }

  /** Waits until every edit arrived or the time is up; returns how many are still missing. */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (this.inFlight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    return this.inFlight;
  }

  /** Edits the partner has not seen (yet). */
  missing(): { from: Side; seq: number; ageMs: number; tag: string }[] {
    const now = performance.now();
    return (['a', 'b'] as const).flatMap((from) =>
      [...this.pending[from]].map(([seq, p]) => ({ from, seq, ageMs: now - p.sentAt, tag: p.tag })),
    );
  }

  /** Null when both copies hold the same marks and the same state, else what differs. */
  divergence(): string | null {
    const marksA = JSON.stringify(sortedMarks(this.a.doc));
    const marksB = JSON.stringify(sortedMarks(this.b.doc));
    if (marksA !== marksB) return `the partners' marks differ:\n  a: ${marksA}\n  b: ${marksB}`;
    const svA = stateVector(this.a.doc);
    const svB = stateVector(this.b.doc);
    if (svA !== svB) return `the partners' document states differ: a ${svA}, b ${svB}`;
    return null;
  }

  destroy(): void {
    this.a.destroy();
    this.b.destroy();
  }

  private listen(receiver: Side): void {
    const sender = other(receiver);
    const client = this[receiver];
    const prefix = `${this.label}:${sender}:`;
    client.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin !== client.provider) return;
      const text = readAnnotation(client.doc, this.marks[sender], ignoreInvalid)?.text ?? '';
      if (!text.startsWith(prefix)) return;
      const seen = Number(text.slice(prefix.length));
      const now = performance.now();
      for (const [seq, p] of this.pending[sender]) {
        if (seq > seen) continue;
        this.pending[sender].delete(seq);
        this.samples.push({ from: sender, seq, sentAt: p.sentAt, latencyMs: now - p.sentAt, tag: p.tag });
      }
    });
  }
}

export function sortedMarks(doc: Y.Doc): unknown[] {
  return readAnnotations(doc, ignoreInvalid).sort((x, y) => x.id.localeCompare(y.id));
}

export function stateVector(doc: Y.Doc): string {
  return JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(([x], [y]) => x - y));
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
