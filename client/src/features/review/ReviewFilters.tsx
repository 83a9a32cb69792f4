import { useId, useMemo, useState } from 'react';
import { BODY_REGIONS, BODY_VIEW_LABELS, BODY_VIEWS } from '@kneadback/shared/body/index';
import type { PublicUser } from '@kneadback/shared/schemas/user';
import {
  ANNOTATION_STATUSES,
  CATEGORIES,
  CATEGORY_LABELS,
  PRESSURE_VERDICTS,
  STARTER_TAGS,
  tagLabel,
  VERDICT_LABELS,
} from '@kneadback/shared/vocabulary';
import { Button } from '../../app/ui/Button.tsx';
import { cx } from '../../app/ui/cx.ts';
import { TextField } from '../../app/ui/TextField.tsx';
import { FilterSelect, type FilterGroup, type FilterOption } from './FilterSelect.tsx';
import type { FilterKey, Filters } from './reviewQuery.ts';

const ROLE_OPTIONS: FilterOption[] = [
  { value: 'given', label: 'Giver (you gave)' },
  { value: 'received', label: 'Receiver (you received)' },
];
const CATEGORY_OPTIONS = CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }));
const VERDICT_OPTIONS = PRESSURE_VERDICTS.map((v) => ({ value: v, label: VERDICT_LABELS[v] }));
const STATUS_LABELS: Record<(typeof ANNOTATION_STATUSES)[number], string> = { open: 'Open', resolved: 'Resolved' };
const STATUS_OPTIONS = ANNOTATION_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }));

/** Every region, grouped by view; each label names its view too, since a closed select shows no group. */
const REGION_GROUPS: FilterGroup[] = BODY_VIEWS.map((view) => ({
  label: BODY_VIEW_LABELS[view],
  options: BODY_REGIONS.filter((r) => r.view === view).map((r) => ({
    value: r.id,
    label: `${r.label} (${BODY_VIEW_LABELS[view].toLowerCase()})`,
  })),
}));

const STARTER_TAG_GROUPS: FilterGroup[] = CATEGORIES.filter((c) => STARTER_TAGS[c].length > 0).map((c) => ({
  label: CATEGORY_LABELS[c],
  options: STARTER_TAGS[c].map((tag) => ({ value: tag, label: tagLabel(tag) })),
}));
const STARTER_TAG_SET = new Set(CATEGORIES.flatMap((c) => STARTER_TAGS[c]));

interface ReviewFiltersProps {
  filters: Filters;
  activeCount: number;
  partners: readonly PublicUser[];
  /** Tags people actually used (the patterns' top tags), offered beside the starter vocabulary. */
  usedTags: readonly string[];
  /** The field the API rejected, with its message. */
  fieldError: { field: string; message: string } | null;
  onChange: (key: FilterKey, value: string) => void;
  onClear: () => void;
}

export function ReviewFilters({
  filters,
  activeCount,
  partners,
  usedTags,
  fieldError,
  onChange,
  onClear,
}: ReviewFiltersProps) {
  // Phones start with the filters folded away so the results are on the first screen; wider screens show them
  const [expanded, setExpanded] = useState(() => window.matchMedia('(min-width: 48rem)').matches);
  const panelId = useId();
  const errorFor = (key: FilterKey) => (fieldError?.field === key ? fieldError.message : undefined);
  const value = (key: FilterKey) => filters[key] ?? '';

  const partnerOptions = useMemo(() => partners.map((p) => ({ value: p.id, label: p.displayName })), [partners]);
  const tagGroups = useMemo(() => {
    const own = usedTags.filter((t) => !STARTER_TAG_SET.has(t)).map((tag) => ({ value: tag, label: tagLabel(tag) }));
    return own.length ? [{ label: 'Your frequent tags', options: own }, ...STARTER_TAG_GROUPS] : STARTER_TAG_GROUPS;
  }, [usedTags]);

  return (
    <section className="review-filters card" aria-labelledby={`${panelId}-title`}>
      <div className="review-filters__head">
        <h2 id={`${panelId}-title`} className="review-filters__title">
          Filters
        </h2>
        <button
          type="button"
          className="review-filters__toggle button button--secondary"
          aria-expanded={expanded}
          aria-controls={panelId}
          onClick={() => setExpanded((e) => !e)}
        >
          {expanded ? 'Hide filters' : 'Show filters'}
          {activeCount > 0 && <span className="review-filters__count">{activeCount} on</span>}
        </button>
        {activeCount > 0 && (
          <Button variant="ghost" className="review-filters__clear" onClick={onClear}>
            Clear filters
          </Button>
        )}
      </div>
      <div id={panelId} className={cx('review-filters__grid', !expanded && 'review-filters__grid--collapsed')}>
        <FilterSelect
          label="Partner"
          anyLabel="Any partner"
          value={value('partnerId')}
          options={partnerOptions}
          error={errorFor('partnerId')}
          onChange={(v) => onChange('partnerId', v)}
        />
        <FilterSelect
          label="Your role"
          anyLabel="Either role"
          value={value('role')}
          options={ROLE_OPTIONS}
          error={errorFor('role')}
          onChange={(v) => onChange('role', v)}
        />
        <FilterSelect
          label="Category"
          anyLabel="Any category"
          value={value('category')}
          options={CATEGORY_OPTIONS}
          error={errorFor('category')}
          onChange={(v) => onChange('category', v)}
        />
        <FilterSelect
          className="review-filters__region"
          label="Body region"
          anyLabel="Anywhere"
          value={value('regionId')}
          groups={REGION_GROUPS}
          error={errorFor('regionId')}
          onChange={(v) => onChange('regionId', v)}
        />
        <FilterSelect
          label="Tag"
          anyLabel="Any tag"
          value={value('tag')}
          groups={tagGroups}
          error={errorFor('tag')}
          onChange={(v) => onChange('tag', v)}
        />
        <FilterSelect
          label="Pressure verdict"
          anyLabel="Any verdict"
          value={value('verdict')}
          options={VERDICT_OPTIONS}
          error={errorFor('verdict')}
          onChange={(v) => onChange('verdict', v)}
        />
        <FilterSelect
          label="Status"
          anyLabel="Any status"
          value={value('status')}
          options={STATUS_OPTIONS}
          error={errorFor('status')}
          onChange={(v) => onChange('status', v)}
        />
        <TextField
          label="From"
          type="date"
          value={value('from')}
          max={filters.to}
          error={errorFor('from')}
          onChange={(e) => onChange('from', e.target.value)}
        />
        <TextField
          label="To"
          type="date"
          value={value('to')}
          min={filters.from}
          error={errorFor('to')}
          onChange={(e) => onChange('to', e.target.value)}
        />
      </div>
    </section>
  );
}
