export {
  BODY_VIEW_HEIGHT,
  BODY_VIEW_LABELS,
  BODY_VIEW_WIDTH,
  BODY_VIEWS,
  distanceToPolygon,
  pointInPolygon,
  polygonCentroid,
  polygonToPath,
} from './geometry.ts';
export type { BodyView, Point, Polygon } from './geometry.ts';
export { BODY_REGIONS, BODY_SILHOUETTE, receiverSideOnScreenLeft } from './regions.ts';
export type { BodyRegion, BodySide } from './regions.ts';
export { isKnownRegionId, regionAt, regionById, regionsOfView, REGION_SNAP_DISTANCE, sideLabel } from './lookup.ts';
export type { ReceiverSideLabel } from './lookup.ts';
export { regionLabel, regionWithView } from './labels.ts';
