import { CATEGORIES, CATEGORY_LABELS } from '@kneadback/shared/vocabulary';
import type { Annotation } from '@kneadback/shared/schemas/annotation';
import { SelectField } from '../../app/ui/SelectField.tsx';
import type { AnnotationFilter } from './annotationFilters.ts';
import { markPlace } from './annotationText.ts';

// "All" under its label ("Category: All") rather than "All categories": the side column of a tablet has room for
// only a short word beside a long one
const CATEGORY_OPTIONS = [
  { value: 'all', label: 'All' },
  ...CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] })),
];
const STATUS_OPTIONS = [
  { value: 'all', label: 'All' },
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved' },
];

interface AnnotationFiltersProps {
  marks: readonly Annotation[];
  value: AnnotationFilter;
  onChange: (filter: AnnotationFilter) => void;
}

export function AnnotationFilters({ marks, value, onChange }: AnnotationFiltersProps) {
  // Only regions that have marks: a list of 60 empty regions helps nobody
  const regions = new Map<string, string>();
  for (const m of marks) regions.set(m.position.regionId, markPlace(m));
  const regionOptions = [
    { value: 'all', label: 'All' },
    ...[...regions].sort((a, b) => a[1].localeCompare(b[1])).map(([id, label]) => ({ value: id, label })),
  ];

  // Area last: its region names are the longest choices, so it is the one to take a row of its own
  return (
    <div className="annotation-filters" role="group" aria-label="Filter marks">
      <SelectField
        label="Category"
        options={CATEGORY_OPTIONS}
        value={value.category}
        onChange={(e) => onChange({ ...value, category: e.target.value as AnnotationFilter['category'] })}
      />
      <SelectField
        label="Status"
        options={STATUS_OPTIONS}
        value={value.status}
        onChange={(e) => onChange({ ...value, status: e.target.value as AnnotationFilter['status'] })}
      />
      <SelectField
        label="Area"
        options={regionOptions}
        value={value.regionId}
        onChange={(e) => onChange({ ...value, regionId: e.target.value })}
      />
    </div>
  );
}
