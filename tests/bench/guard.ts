// pnpm bench:guard — what judging each change costs on the live path: the same stream of
// realistic debrief edits (moves, note edits, replies, reactions, status changes) applied to a
// plain Y.Doc (what a relay without rules does) and through the DocGuard (shadow apply, effects
// read and judged, applied live, then the shadow checked to be in step, as the room does), on
// debriefs of growing size. Prints both and the ratio from one run; absolute times depend on the
// machine.
import * as Y from 'yjs';
import { performance } from 'node:perf_hooks';
import {
  addAnnotation,
  addReply,
  moveAnnotation,
  readAnnotations,
  setAnnotationStatus,
  toggleReaction,
  updateAnnotation,
} from '@kneadback/shared/docs/debrief-doc';
import { debriefKind } from '@kneadback/shared/docs/debrief-rules';
import { bindDevices } from '@kneadback/shared/docs/devices';
import { DocGuard } from '@kneadback/shared/docs/doc-guard';
import { upperTrapeziusPressure } from '../helpers/debrief-fixtures.ts';

const ANA = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const BEN = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const EDITS = 2_000;

/** One partner's device producing `count` realistic edits as updates. */
function editStream(base: Uint8Array, count: number): Uint8Array[] {
  const device = new Y.Doc();
  Y.applyUpdate(device, base);
  const updates: Uint8Array[] = [];
  device.on('update', (u: Uint8Array) => updates.push(u));
  const marks = readAnnotations(device);
  for (let i = 0; updates.length < count; i++) {
    const mark = marks[i % marks.length]!;
    switch (i % 5) {
      case 0:
        moveAnnotation(device, mark.id, { ...mark.position, x: 100 + (i % 50) });
        break;
      case 1:
        updateAnnotation(device, mark.id, { text: `note ${i}` });
        break;
      case 2:
        addReply(device, mark.id, BEN, { text: `reply ${i}` });
        break;
      case 3: {
        const reply = addReply(device, mark.id, BEN, { text: 'short' });
        toggleReaction(device, reply.id, BEN, '👍');
        break;
      }
      default:
        setAnnotationStatus(device, mark.id, i % 2 ? 'resolved' : 'open', BEN);
    }
  }
  return updates;
}

function seed(marks: number): Uint8Array {
  const doc = new Y.Doc();
  for (let i = 0; i < marks; i++) addAnnotation(doc, ANA, { ...upperTrapeziusPressure, text: `mark ${i}` });
  doc.transact(() => bindDevices(doc, new Map([[doc.clientID, ANA]])));
  return Y.encodeStateAsUpdate(doc);
}

function timePlain(base: Uint8Array, updates: Uint8Array[]): number {
  const live = new Y.Doc();
  Y.applyUpdate(live, base);
  const start = performance.now();
  for (const u of updates) Y.applyUpdate(live, u);
  return (performance.now() - start) / updates.length;
}

function timeGuarded(base: Uint8Array, updates: Uint8Array[]): number {
  const live = new Y.Doc();
  Y.applyUpdate(live, base);
  const guard = new DocGuard(debriefKind, live);
  const start = performance.now();
  for (const u of updates) {
    const admission = guard.admit(u, BEN);
    if (!admission.ok) throw new Error(`a legitimate edit was refused: ${admission.reason}`);
    if (admission.newDevices.size > 0) {
      live.transact(() => bindDevices(live, admission.newDevices));
      guard.mirror(Y.encodeStateAsUpdate(live, Y.encodeStateVectorFromUpdate(base)));
    }
    if (admission.applied) Y.applyUpdate(live, admission.applied);
    guard.ensureInStep(); // as the room does after every admission
  }
  return (performance.now() - start) / updates.length;
}

console.log('marks  doc_kb  plain_us_per_edit  guarded_us_per_edit  ratio');
let last = '';
for (const marks of [10, 100, 300]) {
  const base = seed(marks);
  const updates = editStream(base, EDITS);
  timePlain(base, updates.slice(0, 200)); // warm up both paths
  timeGuarded(base, updates.slice(0, 200));
  // best of three: other work on the machine only ever adds time
  const plain = Math.min(...[1, 2, 3].map(() => timePlain(base, updates)));
  const guarded = Math.min(...[1, 2, 3].map(() => timeGuarded(base, updates)));
  const row = [marks, (base.length / 1024).toFixed(0), (plain * 1000).toFixed(1), (guarded * 1000).toFixed(1)];
  console.log(`${row.map((c) => String(c).padStart(5)).join('  ')}  ${(guarded / plain).toFixed(2)}x`);
  last = `marks=${marks} plain_us=${(plain * 1000).toFixed(1)} guarded_us=${(guarded * 1000).toFixed(1)} ratio=${(guarded / plain).toFixed(2)}`;
}
console.log(last);
