import type { ReactNode } from 'react';
import type { Annotation } from '@kneadback/shared/schemas/annotation';
import { CATEGORY_LABELS, tagLabel } from '@kneadback/shared/vocabulary';
import { cx } from '../../app/ui/cx.ts';
import { firstLine, markPlace, pressureSummary } from './annotationText.ts';
import { MarkIcon } from './body-map/index.ts';

interface AnnotationListRowProps {
  annotation: Annotation;
  replyCount: number;
  /** The partner wrote in the thread since this person last read it. */
  unread: boolean;
  selected: boolean;
  onSelect: (id: string | null) => void;
  /** The editor and thread, shown under the row while it is selected. */
  children?: ReactNode;
}

export function AnnotationListRow({
  annotation,
  replyCount,
  unread,
  selected,
  onSelect,
  children,
}: AnnotationListRowProps) {
  const summary = annotation.category === 'pressure' ? pressureSummary(annotation) : null;
  const text = firstLine(annotation.text);
  const detailId = `mark-detail-${annotation.id}`;
  return (
    <li className={cx('mark-row', selected && 'mark-row--selected')} data-annotation-id={annotation.id}>
      <button
        type="button"
        className="mark-row__summary"
        aria-expanded={selected}
        aria-controls={selected ? detailId : undefined}
        onClick={() => onSelect(selected ? null : annotation.id)}
      >
        <MarkIcon category={annotation.category} resolved={annotation.status === 'resolved'} size={28} />
        <span className="mark-row__body">
          <span className="mark-row__title">
            <span className="mark-row__category">{CATEGORY_LABELS[annotation.category]}</span>
            {annotation.status === 'resolved' && <span className="status-pill">Resolved</span>}
          </span>
          <span className="mark-row__place">{markPlace(annotation)}</span>
          {summary && <span className="mark-row__detail">{summary}</span>}
          {annotation.tags.length > 0 && (
            <span className="mark-row__detail">{annotation.tags.map(tagLabel).join(', ')}</span>
          )}
          {text && <span className="mark-row__text">{text}</span>}
        </span>
        {unread && (
          <span className="mark-row__new">
            <span className="mark-row__new-dot" aria-hidden="true" />
            <span aria-hidden="true">New</span>
            <span className="visually-hidden">new replies</span>
          </span>
        )}
        {replyCount > 0 && (
          <span className="mark-row__replies">
            <span aria-hidden="true">💬</span> {replyCount}
            <span className="visually-hidden">{replyCount === 1 ? ' reply' : ' replies'}</span>
          </span>
        )}
      </button>
      {selected && (
        <div id={detailId} className="mark-row__detail-panel">
          {children}
        </div>
      )}
    </li>
  );
}
