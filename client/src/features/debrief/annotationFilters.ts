import type { Annotation } from '@kneadback/shared/schemas/annotation';
import type { AnnotationStatus, Category } from '@kneadback/shared/vocabulary';

export interface AnnotationFilter {
  category: Category | 'all';
  regionId: string | 'all';
  status: AnnotationStatus | 'all';
}

export const NO_FILTER: AnnotationFilter = { category: 'all', regionId: 'all', status: 'all' };

export function isFiltering(filter: AnnotationFilter): boolean {
  return filter.category !== 'all' || filter.regionId !== 'all' || filter.status !== 'all';
}

/** The marks a filter lets through; the selected mark always stays, so an edit never vanishes mid-way. */
export function applyFilter(
  marks: readonly Annotation[],
  filter: AnnotationFilter,
  keepId: string | null,
): Annotation[] {
  return marks.filter(
    (m) =>
      m.id === keepId ||
      ((filter.category === 'all' || m.category === filter.category) &&
        (filter.regionId === 'all' || m.position.regionId === filter.regionId) &&
        (filter.status === 'all' || m.status === filter.status)),
  );
}
