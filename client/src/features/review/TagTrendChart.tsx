import { useMemo } from 'react';
import type { ReviewPatternsResponse } from '@kneadback/shared/schemas/review';
import { tagLabel } from '@kneadback/shared/vocabulary';
import { monthLabel } from './labels.ts';

/** More months than this and the bars get too thin on a phone; the newest are shown. */
const MAX_MONTHS = 18;
const BAR_SLOT = 10;
const CHART_HEIGHT = 28;

type TagMonth = ReviewPatternsResponse['tagsByMonth'][number];

/** Every month from the first to the last with data ("2025-11", "2025-12", "2026-01", ...). */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let [year, month] = first.split('-').map(Number) as [number, number];
  const [endYear, endMonth] = last.split('-').map(Number) as [number, number];
  if (!Number.isFinite(year) || !Number.isFinite(month)) return [];
  while ((year < endYear || (year === endYear && month <= endMonth)) && months.length < 1200) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/**
 * Small multiples: one row of monthly bars per tag, all on the same scale, so rows compare without telling colours
 * apart. A table with the same numbers is there for screen readers.
 */
export function TagTrendChart({ data }: { data: readonly TagMonth[] }) {
  const chart = useMemo(() => {
    if (data.length === 0) return null;
    const sortedMonths = data.map((d) => d.month).sort();
    const all = monthsBetween(sortedMonths[0]!, sortedMonths[sortedMonths.length - 1]!);
    const months = all.slice(-MAX_MONTHS);
    const counts = new Map(data.map((d) => [`${d.tag}|${d.month}`, d.count]));
    const totals = new Map<string, number>();
    for (const d of data) if (months.includes(d.month)) totals.set(d.tag, (totals.get(d.tag) ?? 0) + d.count);
    const tags = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || a.localeCompare(b));
    const max = Math.max(1, ...months.flatMap((m) => tags.map((t) => counts.get(`${t}|${m}`) ?? 0)));
    return {
      months,
      truncated: all.length > months.length,
      tags,
      totals,
      max,
      count: (t: string, m: string) => counts.get(`${t}|${m}`) ?? 0,
    };
  }, [data]);

  if (!chart) return <p className="patterns__empty">No tags on these critiques yet.</p>;
  const { months, truncated, tags, totals, max, count } = chart;
  const width = months.length * BAR_SLOT;
  const first = months[0]!;
  const last = months[months.length - 1]!;

  return (
    <div className="tagtrend">
      <div className="tagtrend__rows" aria-hidden="true">
        {tags.map((tag) => (
          <div key={tag} className="tagtrend__row">
            <span className="tagtrend__label">{tagLabel(tag)}</span>
            <svg className="tagtrend__bars" viewBox={`0 0 ${width} ${CHART_HEIGHT}`} preserveAspectRatio="none">
              <line className="tagtrend__baseline" x1={0} x2={width} y1={CHART_HEIGHT - 0.5} y2={CHART_HEIGHT - 0.5} />
              {months.map((month, i) => {
                const c = count(tag, month);
                if (c === 0) return null;
                const h = Math.max(2, (c / max) * (CHART_HEIGHT - 2));
                return (
                  <rect key={month} x={i * BAR_SLOT + 1.5} width={BAR_SLOT - 3} y={CHART_HEIGHT - 1 - h} height={h}>
                    <title>{`${tagLabel(tag)}, ${monthLabel(month)}: ${c}`}</title>
                  </rect>
                );
              })}
            </svg>
            <span className="tagtrend__total">{totals.get(tag)}</span>
          </div>
        ))}
        <div className="tagtrend__row tagtrend__row--axis">
          <span />
          <span className="tagtrend__axis">
            <span>{monthLabel(first)}</span>
            {last !== first && <span>{monthLabel(last)}</span>}
          </span>
          <span />
        </div>
      </div>
      {truncated && <p className="patterns__note">The latest {MAX_MONTHS} months are shown.</p>}
      <div className="visually-hidden">
        <table>
          <caption>Critiques per tag and month</caption>
          <thead>
            <tr>
              <th scope="col">Tag</th>
              {months.map((m) => (
                <th key={m} scope="col">
                  {monthLabel(m)}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {tags.map((tag) => (
              <tr key={tag}>
                <th scope="row">{tagLabel(tag)}</th>
                {months.map((m) => (
                  <td key={m}>{count(tag, m)}</td>
                ))}
                <td>{totals.get(tag)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
