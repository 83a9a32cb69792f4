import { useCallback, useMemo, useRef } from 'react';
import { Link } from 'react-router-dom';
import type { PublicUser } from '@kneadback/shared/schemas/user';
import { useAuth } from '../../app/AuthProvider.tsx';
import { HOME_PATH } from '../../app/returnTo.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { SelectField } from '../../app/ui/SelectField.tsx';
import { LoadFailed, Loading } from '../../app/ui/QueryStatus.tsx';
import type { ApiRequestError } from '../../lib/api.ts';
import { asSentence } from '../../lib/form-errors.ts';
import { CritiqueCard } from './CritiqueCard.tsx';
import { Pagination, rangeLabel } from './Pagination.tsx';
import { PatternsPanel } from './PatternsPanel.tsx';
import { ReviewFilters } from './ReviewFilters.tsx';
import { useReviewQuery, type FilterKey } from './reviewQuery.ts';
import { useReviewCritiques, useReviewPartners, useReviewPatterns } from './reviewQueries.ts';
import './review.css';

const NO_PARTNERS: readonly PublicUser[] = [];

const SORT_CHOICES = [
  { value: 'newest', label: 'Newest first' },
  { value: 'oldest', label: 'Oldest first' },
];

export function ReviewPage() {
  usePageTitle('Review');
  const { user } = useAuth();
  const query = useReviewQuery();
  const list = useReviewCritiques(query.listQuery);
  const patterns = useReviewPatterns(query.patternsQuery);
  const partners = useReviewPartners().data ?? NO_PARTNERS;
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const resultsSection = useRef<HTMLElement>(null);

  const usedTags = useMemo(() => [...new Set((patterns.data?.tagsByMonth ?? []).map((t) => t.tag))], [patterns.data]);
  const badFilter = filterProblem(list.error) ?? filterProblem(patterns.error);
  const otherError = !badFilter && list.isError;

  const { setPage, setFilter } = query;
  const goToPage = useCallback(
    (page: number) => {
      setPage(page);
      // New results replace the list in place: take focus (and the screen) to the top of it
      resultsHeading.current?.focus({ preventScroll: true });
      resultsSection.current?.scrollIntoView({ block: 'start' });
    },
    [setPage],
  );
  const selectRegion = useCallback(
    (regionId: string) => setFilter('regionId', query.filters.regionId === regionId ? '' : regionId),
    [setFilter, query.filters.regionId],
  );

  if (!user) return null;
  const data = list.data;
  const showingStale = list.isUpdating && data !== undefined;

  return (
    <div className="page review">
      <div>
        <h1>Review</h1>
        <p className="lead review__lead">
          Every critique from your debriefs, given and received. Filter to see what partners keep telling you, and
          where.
        </p>
      </div>

      <ReviewFilters
        filters={query.filters}
        activeCount={query.activeCount}
        partners={partners}
        usedTags={usedTags}
        fieldError={badFilter}
        onChange={(key: FilterKey, value: string) => setFilter(key, value)}
        onClear={query.clearFilters}
      />

      {badFilter && (
        <Alert tone="error" title="These filters can't be used">
          <p>{badFilter.message}</p>
          <Button variant="secondary" onClick={query.reset}>
            Reset filters and sorting
          </Button>
        </Alert>
      )}

      {!badFilter && (
        <PatternsPanel
          data={patterns.data ?? null}
          loading={patterns.isUpdating}
          selectedRegionId={query.filters.regionId}
          onSelectRegion={selectRegion}
        />
      )}

      <section
        ref={resultsSection}
        className="review__results"
        aria-labelledby="review-results-title"
        aria-busy={list.isUpdating || undefined}
      >
        <div className="spread-row spread-row--heading">
          <div>
            <h2 id="review-results-title" ref={resultsHeading} tabIndex={-1} className="review__results-title">
              Critiques
            </h2>
            {/* Announced after every filter change, since the list updates without a page load */}
            <p role="status" className="review__count">
              {data && !badFilter ? countLabel(data.page, data.pageSize, data.total) : ''}
              {showingStale && <span className="visually-hidden"> (updating)</span>}
            </p>
          </div>
          <SelectField
            className="review__sort"
            label="Sort"
            options={
              query.sort === 'newest' || query.sort === 'oldest'
                ? SORT_CHOICES
                : [...SORT_CHOICES, { value: query.sort, label: `${query.sort} (not recognised)` }]
            }
            value={query.sort}
            onChange={(e) => query.setSort(e.target.value)}
          />
        </div>

        {otherError && <LoadFailed what="critiques" query={list} />}

        {list.isPending && !badFilter && <Loading what="critiques" />}

        {data && !badFilter && (
          <div className={showingStale ? 'review__stale' : undefined}>
            {data.items.length > 0 ? (
              <ol className="plain-list critiques">
                {data.items.map((item) => (
                  <CritiqueCard key={`${item.exchangeId}:${item.annotationId}`} critique={item} myId={user.id} />
                ))}
              </ol>
            ) : (
              <EmptyResults
                total={data.total}
                filtered={query.activeCount > 0}
                onClear={query.clearFilters}
                onFirstPage={() => goToPage(1)}
              />
            )}
            <Pagination page={data.page} pageSize={data.pageSize} total={data.total} onPage={goToPage} />
          </div>
        )}
      </section>
    </div>
  );
}

function EmptyResults({
  total,
  filtered,
  onClear,
  onFirstPage,
}: {
  total: number;
  filtered: boolean;
  onClear: () => void;
  onFirstPage: () => void;
}) {
  if (total > 0) {
    return (
      <div className="review__empty">
        <p>This page is past the end of the results.</p>
        <Button variant="secondary" onClick={onFirstPage}>
          Go to the first page
        </Button>
      </div>
    );
  }
  if (filtered) {
    return (
      <div className="review__empty">
        <p>No critiques match these filters.</p>
        <Button variant="secondary" onClick={onClear}>
          Clear filters
        </Button>
      </div>
    );
  }
  return (
    <div className="review__empty">
      <p>
        No critiques yet. The marks you and your partners make on the body map during a debrief collect here, so you can
        look back at them and follow up at your next exchange.
      </p>
      <Link className="touch-link" to={HOME_PATH}>
        Go to your exchanges
      </Link>
    </div>
  );
}

function countLabel(page: number, pageSize: number, total: number): string {
  if (total === 0) return 'No critiques';
  if (total <= pageSize && page === 1) return total === 1 ? '1 critique' : `${total} critiques`;
  return rangeLabel(page, pageSize, total);
}

/** A 400 means a filter value the API rejects (it names the field); the message is shown as the API phrases it. */
function filterProblem(error: ApiRequestError | null): { field: string; message: string } | null {
  if (!error || error.status !== 400) return null;
  const field = error.field ?? '';
  const message =
    field && error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
  return { field, message: asSentence(message) };
}
