// Public surface of the body map. Import from here: '.../features/debrief/body-map/index.ts'.
export { BodyMap } from './BodyMap.tsx';
export type { BodyMapProps } from './BodyMap.tsx';
export type { PointerPosition } from './usePointerReports.ts';
export { BodyMapLegend } from './BodyMapLegend.tsx';
export type { BodyMapLegendProps } from './BodyMapLegend.tsx';
export { RemotePointers } from './RemotePointers.tsx';
export type { RemotePointer } from './RemotePointers.tsx';
export { ClusterGlyph, MarkGlyph, MarkIcon, MARK_GLYPH_RADIUS } from './MarkGlyph.tsx';
export type { MarkGlyphProps, MarkIconProps } from './MarkGlyph.tsx';
export { MARK_CATEGORIES, MARK_HALO_COLOR, MARK_STYLES, markShapePath } from './markStyles.ts';
export type { MarkShape, MarkStyle } from './markStyles.ts';
export { markLabel, viewWord } from './labels.ts';
export {
  CLUSTER_DISTANCE_PX,
  DEFAULT_VIEWPORT,
  MAX_SCALE,
  MIN_SCALE,
  TAP_THRESHOLD_PX,
  clampViewport,
  sameViewport,
} from './geometry.ts';
export type { Size, Viewport } from './geometry.ts';
