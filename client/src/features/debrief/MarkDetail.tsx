import { useId } from 'react';
import { deleteBlocker } from '@kneadback/shared/docs/debrief-doc';
import type { Annotation, ThreadEntry } from '@kneadback/shared/schemas/annotation';
import type { DebriefDocApi } from '../../lib/collab/useDebriefDoc.ts';
import { MarkNotes } from '../notes/MarkNotes.tsx';
import { AnnotationEditor } from './AnnotationEditor.tsx';
import { AnnotationThread } from './AnnotationThread.tsx';
import type { DebriefPeople } from './people.ts';

export type MarkActions = Pick<
  DebriefDocApi,
  'updateAnnotation' | 'setStatus' | 'deleteAnnotation' | 'addReply' | 'editReply' | 'deleteReply' | 'toggleReaction'
>;

interface MarkDetailProps {
  annotation: Annotation;
  entries: readonly ThreadEntry[];
  people: DebriefPeople;
  actions: MarkActions;
  onDeleted: () => void;
}

function deleteBlockedReason(annotation: Annotation, entries: readonly ThreadEntry[], people: DebriefPeople) {
  switch (deleteBlocker(annotation, entries, people.me.id)) {
    case 'not-author':
      return `${people.nameOf(annotation.authorId)} placed this mark; resolve it when it is dealt with.`;
    case 'others-in-thread':
      return 'Your partner has written or reacted in this thread, so resolve the mark rather than delete it.';
    default:
      return null;
  }
}

export function MarkDetail({ annotation, entries, people, actions, onDeleted }: MarkDetailProps) {
  const headingId = useId();
  const { id } = annotation;
  return (
    <div className="mark-detail">
      <AnnotationEditor
        annotation={annotation}
        people={people}
        headingId={headingId}
        deleteBlockedReason={deleteBlockedReason(annotation, entries, people)}
        onChange={(patch) => actions.updateAnnotation(id, patch)}
        onToggleStatus={() => actions.setStatus(id, annotation.status === 'resolved' ? 'open' : 'resolved')}
        onDelete={() => {
          if (actions.deleteAnnotation(id) !== null) onDeleted();
        }}
      />
      <AnnotationThread
        entries={entries}
        people={people}
        onReply={(input) => actions.addReply(id, input) !== null}
        onEdit={(entryId, text) => actions.editReply(entryId, text) !== null}
        onDelete={(entryId) => actions.deleteReply(entryId)}
        onReact={(entryId, emoji) => actions.toggleReaction(entryId, emoji)}
      />
      <MarkNotes markId={id} />
    </div>
  );
}
