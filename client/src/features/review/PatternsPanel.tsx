import { useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { ReviewPatternsResponse } from '@kneadback/shared/schemas/review';
import { regionWithView } from '@kneadback/shared/body/index';
import { CATEGORIES, type Category } from '@kneadback/shared/vocabulary';
import { Button } from '../../app/ui/Button.tsx';
import { Spinner } from '../../app/ui/Spinner.tsx';
import { cx } from '../../app/ui/cx.ts';
import { newNotePath } from '../../lib/links.ts';
import { BodyHeatMap } from './BodyHeatMap.tsx';
import { TagTrendChart } from './TagTrendChart.tsx';

const TOP_REGIONS = 5;

interface PatternsPanelProps {
  data: ReviewPatternsResponse | null;
  loading: boolean;
  selectedRegionId: string | undefined;
  onSelectRegion: (regionId: string) => void;
}

/** Where on the body and which tags, for whatever the filters currently select. */
export function PatternsPanel({ data, loading, selectedRegionId, onSelectRegion }: PatternsPanelProps) {
  const [expanded, setExpanded] = useState(() => window.matchMedia('(min-width: 48rem)').matches);
  const bodyId = useId();
  const titleId = useId();
  const regions = data?.regions ?? [];
  const top = regions.slice(0, TOP_REGIONS);
  const noteFilters = useNoteFilters();

  return (
    <section className="patterns card" aria-labelledby={titleId} aria-busy={loading || undefined}>
      <div className="patterns__head">
        <div>
          <h2 id={titleId} className="patterns__title">
            Patterns
          </h2>
          <p className="patterns__summary">
            {data
              ? `${data.total} ${data.total === 1 ? 'critique' : 'critiques'} matching these filters`
              : 'Counting critiques…'}
          </p>
        </div>
        {loading && <Spinner size="sm" />}
        <button
          type="button"
          className="button button--secondary patterns__toggle"
          aria-expanded={expanded}
          aria-controls={bodyId}
          onClick={() => setExpanded((e) => !e)}
        >
          {expanded ? 'Hide patterns' : 'Show patterns'}
        </button>
      </div>

      <div id={bodyId} className={cx('patterns__body', !expanded && 'patterns__body--collapsed')}>
        {data && data.total === 0 ? (
          <p className="patterns__empty">No critiques match these filters, so there is no pattern to show yet.</p>
        ) : (
          <>
            <div className="patterns__map">
              <h3 className="patterns__subtitle">Where on the body</h3>
              <p className="patterns__note">The receiver's body. Darker regions hold more critiques.</p>
              <BodyHeatMap regions={regions} selectedRegionId={selectedRegionId} onSelectRegion={onSelectRegion} />
              {/* The map names its regions only in hover tooltips, which a touchscreen never shows: say which one a
                  tap chose */}
              {selectedRegionId && (
                <div className="patterns__chosen">
                  <p>
                    Showing only <strong>{regionWithView(selectedRegionId)}</strong>
                  </p>
                  <Button variant="ghost" onClick={() => onSelectRegion(selectedRegionId)}>
                    Show every region
                  </Button>
                </div>
              )}
              {top.length > 0 && (
                <div className="patterns__top">
                  <h4 className="patterns__top-title">Most marked</h4>
                  <ol className="patterns__top-list">
                    {top.map((r) => (
                      <li key={r.regionId}>
                        <button
                          type="button"
                          className="patterns__top-item"
                          aria-pressed={r.regionId === selectedRegionId}
                          onClick={() => onSelectRegion(r.regionId)}
                        >
                          <span className="patterns__top-name">{regionWithView(r.regionId)}</span>
                          <span className="patterns__top-count">
                            {r.count}
                            <span className="visually-hidden">
                              {r.count === 1 ? ' critique' : ' critiques'}, show only this region
                            </span>
                          </span>
                        </button>
                        <Link
                          className="patterns__start-note"
                          to={newNotePath({ type: 'pattern', regionId: r.regionId, count: r.count, ...noteFilters })}
                          aria-label={`Start a note about ${regionWithView(r.regionId)}`}
                        >
                          Start a note
                        </Link>
                      </li>
                    ))}
                  </ol>
                </div>
              )}
              <div className="visually-hidden">
                <table>
                  <caption>Critiques per body region, on the receiver's body</caption>
                  <thead>
                    <tr>
                      <th scope="col">Region</th>
                      <th scope="col">Critiques</th>
                    </tr>
                  </thead>
                  <tbody>
                    {regions.map((r) => (
                      <tr key={r.regionId}>
                        <th scope="row">{regionWithView(r.regionId)}</th>
                        <td>{r.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
            <div className="patterns__tags">
              <h3 className="patterns__subtitle">Tags over time</h3>
              <p className="patterns__note">The most used tags, counted per month of the exchange.</p>
              <TagTrendChart data={data?.tagsByMonth ?? []} />
            </div>
          </>
        )}
      </div>
    </section>
  );
}

/** The category and tag Review is filtered by, which a note started from a pattern carries along. */
function useNoteFilters(): { category?: Category; tag?: string } {
  const [params] = useSearchParams();
  const category = CATEGORIES.find((c) => c === params.get('category'));
  const tag = params.get('tag')?.trim() || undefined;
  return { ...(category && { category }), ...(tag && { tag }) };
}
