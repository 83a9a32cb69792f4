import { memo, useCallback } from 'react';
import type { Annotation, Round, ThreadEntry } from '@kneadback/shared/schemas/annotation';
import type { Category } from '@kneadback/shared/vocabulary';
import { useToast } from '../../app/ui/Toast.tsx';
import { AnnotationList } from './AnnotationList.tsx';
import { BodyMapLegend } from './body-map/index.ts';
import { MarkDetail, type MarkActions } from './MarkDetail.tsx';
import { roundTitle, type DebriefPeople } from './people.ts';

interface DebriefPanelProps {
  people: DebriefPeople;
  round: Round;
  /** The round's marks. */
  marks: readonly Annotation[];
  threadFor: (annotationId: string) => ThreadEntry[];
  /** Marks whose thread has something new from the partner. */
  unreadIds: ReadonlySet<string>;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  actions: MarkActions;
  loading: boolean;
}

/**
 * The round's marks with the selected one open for editing. Memoised: the partner's pointer
 * re-renders the page many times a second, and none of that concerns this panel.
 */
export const DebriefPanel = memo(function DebriefPanel(props: DebriefPanelProps) {
  const { people, round, marks, threadFor, unreadIds, selectedId, onSelect, actions, loading } = props;
  const toast = useToast();

  const renderDetail = useCallback(
    (annotation: Annotation) => (
      <MarkDetail
        key={annotation.id}
        annotation={annotation}
        entries={threadFor(annotation.id)}
        people={people}
        actions={actions}
        onDeleted={() => {
          onSelect(null);
          toast('Mark deleted. Undo brings it back.');
        }}
      />
    ),
    [threadFor, people, actions, onSelect, toast],
  );

  return (
    <aside className="debrief-panel" aria-labelledby="debrief-panel-title">
      <h2 id="debrief-panel-title" className="debrief-panel__title">
        {roundTitle(people, round)}{' '}
        <span className="debrief-panel__count">
          · {marks.length} {marks.length === 1 ? 'mark' : 'marks'}
        </span>
      </h2>
      <AnnotationList
        marks={marks}
        threadFor={threadFor}
        unreadIds={unreadIds}
        selectedId={selectedId}
        onSelect={onSelect}
        renderDetail={renderDetail}
        loading={loading}
      />
      <BodyMapLegend className="debrief-panel__legend" label="Key to the marks" counts={countByCategory(marks)} />
    </aside>
  );
});

function countByCategory(marks: readonly Annotation[]): Partial<Record<Category, number>> {
  const counts: Partial<Record<Category, number>> = {};
  for (const m of marks) counts[m.category] = (counts[m.category] ?? 0) + 1;
  return counts;
}
