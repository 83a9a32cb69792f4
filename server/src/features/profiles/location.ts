import { DISTANCE_BANDS, type DistanceBand } from '@kneadback/shared/profile-vocabulary';
import type { ApproximateLocation } from '@kneadback/shared/schemas/profile';

/**
 * 0.02 degrees: about 2.2 km north-south, less east-west. A therapist who gives a precise point
 * (a device's position, their studio) has it snapped to this grid before it is stored, so not
 * even the database holds where they work.
 */
const GRID_DEGREES = 0.02;

const snap = (value: number) => Math.round(Math.round(value / GRID_DEGREES) * GRID_DEGREES * 100) / 100;

export function coarsen(location: ApproximateLocation): ApproximateLocation {
  return { lat: snap(location.lat), lng: snap(location.lng) };
}

const EARTH_RADIUS_KM = 6371;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance (haversine). */
export function distanceKm(a: ApproximateLocation, b: ApproximateLocation): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function distanceBand(km: number): DistanceBand {
  return DISTANCE_BANDS.find((band) => km < band.maxKm)?.id ?? 'far';
}
