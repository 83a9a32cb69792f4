export type HitTarget = { kind: 'mark'; id: string } | { kind: 'cluster'; id: string } | { kind: 'map' };

/** What a pointer or key event landed on: a mark, a cluster, or the map itself. */
export function hitTarget(el: EventTarget | null): HitTarget {
  if (!(el instanceof Element)) return { kind: 'map' };
  const mark = el.closest('[data-mark-id]');
  const markId = mark?.getAttribute('data-mark-id');
  if (markId) return { kind: 'mark', id: markId };
  const cluster = el.closest('[data-cluster-id]');
  const clusterId = cluster?.getAttribute('data-cluster-id');
  if (clusterId) return { kind: 'cluster', id: clusterId };
  return { kind: 'map' };
}
