import type { ReactNode } from 'react';
import { cx } from '../../app/ui/cx.ts';
import './pagination.css';

interface PaginationProps {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  /** What the pages are of, for screen readers */
  label?: string;
}

/** "1–20 of 134" with Previous and Next. At either end the button stays focusable (aria-disabled), so focus is kept. */
export function Pagination({ page, pageSize, total, onPage, label = 'Pages of critiques' }: PaginationProps) {
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  if (total <= pageSize && page === 1) return null;
  const hasPrevious = page > 1;
  const hasNext = page < lastPage;
  return (
    <nav className="pagination" aria-label={label}>
      <PageButton enabled={hasPrevious} onClick={() => onPage(Math.min(page - 1, lastPage))}>
        <span aria-hidden="true">‹ </span>Previous
      </PageButton>
      <p className="pagination__range">{rangeLabel(page, pageSize, total)}</p>
      <PageButton enabled={hasNext} onClick={() => onPage(page + 1)}>
        Next<span aria-hidden="true"> ›</span>
      </PageButton>
    </nav>
  );
}

function PageButton({ enabled, onClick, children }: { enabled: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      className={cx('button', 'button--secondary', 'pagination__button')}
      aria-disabled={!enabled || undefined}
      onClick={() => enabled && onClick()}
    >
      <span>{children}</span>
    </button>
  );
}

/** "21–40 of 134"; "0 of 0" never shows, the caller says "no critiques" instead. */
export function rangeLabel(page: number, pageSize: number, total: number): string {
  const first = Math.min(total, (page - 1) * pageSize + 1);
  const last = Math.min(total, page * pageSize);
  return first > last ? `${total} in all` : `${first}–${last} of ${total}`;
}
