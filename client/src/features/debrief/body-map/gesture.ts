import type { Point } from '@kneadback/shared/body/index';
import { distance } from './geometry.ts';
import type { PinchFrame, Viewport } from './geometry.ts';
import type { HitTarget } from './hitTarget.ts';

/** What the pointers on the map are doing. */
export type Gesture =
  | { kind: 'idle' }
  /** One pointer down, not yet past the tap threshold. */
  | { kind: 'press'; pointerId: number; start: Point; target: HitTarget; startViewport: Viewport }
  | { kind: 'pan'; pointerId: number; start: Point; startViewport: Viewport }
  /** Dragging the selected mark; grab is the mark's offset from the pointer in view units. */
  | { kind: 'drag'; pointerId: number; id: string; grab: Point }
  | { kind: 'pinch'; ids: [number, number]; from: PinchFrame; startViewport: Viewport };

/** Where the dragged mark would land if dropped now; regionId null: outside the body. */
export interface DragPreview {
  id: string;
  x: number;
  y: number;
  regionId: string | null;
}

export function pinchFrame(a: Point, b: Point): PinchFrame {
  return { mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, distance: distance(a, b) };
}
