import type { EditorView } from '@tiptap/pm/view';
import type { WebsocketProvider } from 'y-websocket';

/**
 * Has the editor read where the person's caret is before anything from a partner is applied.
 *
 * A tap or the Home key moves the browser's caret at once, but ProseMirror learns of it only from
 * the `selectionchange` event that follows. A partner's edit (yjs/y-prosemirror#146) or caret move
 * landing in between redraws the text with the caret where ProseMirror last had it, so the move
 * was undone and the next letters went where the caret had been. Sending ProseMirror that event
 * first, outside any Yjs transaction, is what the browser would have done a moment later.
 * Returns the undo.
 */
export function readCaretBeforeRemoteChanges(view: EditorView, provider: WebsocketProvider): () => void {
  const handlers = provider.messageHandlers;
  const wrapped = handlers.map((apply) => {
    const readCaretFirst: typeof apply = (...args) => {
      if (!view.isDestroyed && view.hasFocus()) view.dom.ownerDocument.dispatchEvent(new Event('selectionchange'));
      apply(...args);
    };
    return { apply, readCaretFirst };
  });
  wrapped.forEach(({ readCaretFirst }, type) => (handlers[type] = readCaretFirst));
  return () =>
    wrapped.forEach(({ apply, readCaretFirst }, type) => {
      if (handlers[type] === readCaretFirst) handlers[type] = apply;
    });
}
