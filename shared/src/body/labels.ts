// How a region reads, wherever it is shown: the debrief, Review, the printout and the map's accessible names.
import { BODY_VIEW_LABELS, type BodyView } from './geometry.ts';
import { regionById } from './lookup.ts';

/** For a region id the catalogue no longer has (a mark made with an older catalogue). */
const UNKNOWN_REGION = 'Unknown area';

/** "Left upper trapezius" (sided regions carry their side in the label). */
export function regionLabel(regionId: string): string {
  return regionById(regionId)?.label ?? UNKNOWN_REGION;
}

/**
 * "Left upper trapezius (back)": with the view, because left/right and front/back are the usual mix-ups. Without a
 * view, the region's own.
 */
export function regionWithView(regionId: string, view: BodyView | undefined = regionById(regionId)?.view): string {
  const label = regionLabel(regionId);
  return view ? `${label} (${BODY_VIEW_LABELS[view].toLowerCase()})` : label;
}
