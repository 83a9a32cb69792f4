import { BODY_VIEWS, distanceToPolygon, pointInPolygon } from './geometry.ts';
import type { BodyView, Point } from './geometry.ts';
import { BODY_REGIONS, receiverSideOnScreenLeft } from './regions.ts';
import type { BodyRegion } from './regions.ts';

/**
 * A tap this close to the figure (in view units) still counts for the nearest region: oily fingers on a phone miss
 * thin regions such as the erectors or the edge of a limb.
 */
export const REGION_SNAP_DISTANCE = 12;

const REGIONS_BY_ID = new Map<string, BodyRegion>(BODY_REGIONS.map((r) => [r.id, r]));

const REGIONS_BY_VIEW = new Map<BodyView, readonly BodyRegion[]>(
  BODY_VIEWS.map((view) => [view, BODY_REGIONS.filter((r) => r.view === view)]),
);

export function regionById(id: string): BodyRegion | undefined {
  return REGIONS_BY_ID.get(id);
}

export function isKnownRegionId(id: string): boolean {
  return REGIONS_BY_ID.has(id);
}

export function regionsOfView(view: BodyView): readonly BodyRegion[] {
  return REGIONS_BY_VIEW.get(view) ?? [];
}

/** The region under a point of a view, else the nearest one within REGION_SNAP_DISTANCE, else null. */
export function regionAt(view: BodyView, point: Point): BodyRegion | null {
  const regions = regionsOfView(view);
  const hit = regions.find((r) => pointInPolygon(point, r.outline));
  if (hit) return hit;
  let nearest: BodyRegion | null = null;
  let nearestDistance = REGION_SNAP_DISTANCE;
  for (const region of regions) {
    const d = distanceToPolygon(point, region.outline);
    if (d <= nearestDistance) {
      nearest = region;
      nearestDistance = d;
    }
  }
  return nearest;
}

export type ReceiverSideLabel = "Receiver's left" | "Receiver's right";

/** Captions for the two edges of a view, so nobody has to work out whose left is on which side of the screen. */
export function sideLabel(view: BodyView): { screenLeft: ReceiverSideLabel; screenRight: ReceiverSideLabel } {
  return receiverSideOnScreenLeft(view) === 'left'
    ? { screenLeft: "Receiver's left", screenRight: "Receiver's right" }
    : { screenLeft: "Receiver's right", screenRight: "Receiver's left" };
}
