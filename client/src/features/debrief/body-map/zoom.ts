/** Zoom factor of one button press or +/- key. */
export const ZOOM_STEP = 1.5;

/** "2.3×". */
export function formatScale(scale: number): string {
  return `${Math.round(scale * 10) / 10}×`;
}
