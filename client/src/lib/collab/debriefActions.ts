import { ZodError } from 'zod';
import {
  addAnnotation,
  addReply,
  DebriefDocError,
  deleteAnnotation,
  deleteReply,
  editReply,
  moveAnnotation,
  setAnnotationStatus,
  toggleReaction,
  updateAnnotation,
} from '@kneadback/shared/docs/debrief-doc';
import type {
  AnnotationInput,
  AnnotationPatch,
  MarkPosition,
  ReplyInput,
  REACTIONS,
} from '@kneadback/shared/schemas/annotation';
import type { AnnotationStatus } from '@kneadback/shared/vocabulary';
import type { DebriefSession } from './session.ts';

export type Reaction = (typeof REACTIONS)[number];

/** The shared document functions bound to one session and the signed-in person. */
export function createDebriefActions(session: DebriefSession, userId: string, onError: (message: string) => void) {
  const { doc, undoManager } = session;

  function attempt<R>(change: () => R, ownUndoStep = false): R | null {
    try {
      // A mark created or deleted is its own undo step, not merged with the edits around it
      if (ownUndoStep) undoManager.stopCapturing();
      const result = change();
      if (ownUndoStep) undoManager.stopCapturing();
      return result;
    } catch (err) {
      onError(describeError(err));
      return null;
    }
  }

  return {
    addAnnotation: (input: AnnotationInput) => attempt(() => addAnnotation(doc, userId, input), true),
    updateAnnotation: (id: string, patch: AnnotationPatch) => attempt(() => updateAnnotation(doc, id, patch)),
    moveAnnotation: (id: string, position: MarkPosition) => attempt(() => moveAnnotation(doc, id, position), true),
    deleteAnnotation: (id: string) => attempt(() => deleteAnnotation(doc, id, userId), true),
    setStatus: (id: string, status: AnnotationStatus) =>
      attempt(() => setAnnotationStatus(doc, id, status, userId), true),
    addReply: (annotationId: string, input: ReplyInput) =>
      attempt(() => addReply(doc, annotationId, userId, input), true),
    editReply: (entryId: string, text: string) => attempt(() => editReply(doc, entryId, userId, text), true),
    deleteReply: (entryId: string) => attempt(() => deleteReply(doc, entryId, userId), true),
    toggleReaction: (entryId: string, emoji: Reaction) =>
      attempt(() => toggleReaction(doc, entryId, userId, emoji), true),
  };
}

export type DebriefActions = ReturnType<typeof createDebriefActions>;

function describeError(err: unknown): string {
  if (err instanceof ZodError) return err.issues[0]?.message ?? 'That change is not valid.';
  if (err instanceof DebriefDocError) {
    return /does not exist/.test(err.message)
      ? 'That mark or reply no longer exists: your partner may have just deleted it.'
      : `That change was not made: ${err.message}.`;
  }
  console.error(err);
  return 'That change could not be made.';
}
