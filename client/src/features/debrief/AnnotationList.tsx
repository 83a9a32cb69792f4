import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Annotation, ThreadEntry } from '@kneadback/shared/schemas/annotation';
import { Button } from '../../app/ui/Button.tsx';
import { applyFilter, isFiltering, NO_FILTER, type AnnotationFilter } from './annotationFilters.ts';
import { AnnotationFilters } from './AnnotationFilters.tsx';
import { AnnotationListRow } from './AnnotationListRow.tsx';
import { scrollWithinPanel } from './scrollWithin.ts';

interface AnnotationListProps {
  /** This round's marks. */
  marks: readonly Annotation[];
  threadFor: (annotationId: string) => readonly ThreadEntry[];
  /** Marks whose thread has something new from the partner. */
  unreadIds: ReadonlySet<string>;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  /** Editor and thread of the selected mark. */
  renderDetail: (annotation: Annotation) => ReactNode;
  loading: boolean;
}

export function AnnotationList({
  marks,
  threadFor,
  unreadIds,
  selectedId,
  onSelect,
  renderDetail,
  loading,
}: AnnotationListProps) {
  const [filter, setFilter] = useState<AnnotationFilter>(NO_FILTER);
  const list = useRef<HTMLUListElement>(null);
  const shown = applyFilter(marks, filter, selectedId);

  // Selecting on the map (or a partner being followed) brings the row into view
  useEffect(() => {
    if (!selectedId || !list.current) return;
    const row = list.current.querySelector(`[data-annotation-id="${CSS.escape(selectedId)}"]`);
    if (row) scrollWithinPanel(row, list.current.closest('.debrief-side'));
  }, [selectedId]);

  if (marks.length === 0) {
    return (
      <div className="empty-state">
        {loading ? (
          <p>Loading marks…</p>
        ) : (
          <>
            <p className="empty-state__title">Tap the body where you want to leave feedback.</p>
            <p className="empty-state__hint">
              Each tap places a mark with the category you used last; pick tags or a pressure number, and typing is
              optional.
            </p>
          </>
        )}
      </div>
    );
  }

  return (
    <>
      {(marks.length > 2 || isFiltering(filter)) && (
        <AnnotationFilters marks={marks} value={filter} onChange={setFilter} />
      )}
      {shown.length === 0 ? (
        <div className="empty-state">
          <p>No marks match these filters.</p>
          <Button variant="secondary" onClick={() => setFilter(NO_FILTER)}>
            Show all marks
          </Button>
        </div>
      ) : (
        <ul
          ref={list}
          className="plain-list plain-list--tight mark-list"
          aria-label={isFiltering(filter) ? 'Filtered marks' : 'Marks'}
        >
          {shown.map((mark) => (
            <AnnotationListRow
              key={mark.id}
              annotation={mark}
              replyCount={threadFor(mark.id).filter((e) => e.kind === 'reply' && !e.deleted).length}
              unread={unreadIds.has(mark.id)}
              selected={mark.id === selectedId}
              onSelect={onSelect}
            >
              {mark.id === selectedId && renderDetail(mark)}
            </AnnotationListRow>
          ))}
        </ul>
      )}
    </>
  );
}
