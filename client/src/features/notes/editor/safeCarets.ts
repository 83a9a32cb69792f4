import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { yCursorPlugin, yCursorPluginKey } from '@tiptap/y-tiptap';
import type { Awareness } from 'y-protocols/awareness';
import { parseNotePresence } from '@kneadback/shared/docs/presence';

/**
 * Whether another device's presence is drawn as a caret in this editor. The editor resolves every
 * caret each time it draws; one it cannot read throws there, and the editor stopped showing
 * anyone's edits (a reader's `cursor: {anchor: null}` did that to everyone with the note open).
 * The server relays only presence that parses, but one malformed state must never cost the
 * person their editor, whatever let it through.
 */
export function drawsCaret(ownClientId: number, clientId: number, state: unknown): boolean {
  return clientId !== ownClientId && parseNotePresence(state) !== null;
}

/** Tiptap's collaboration caret, drawing only the carets `drawsCaret` accepts. */
export const SafeCollaborationCaret = CollaborationCaret.extend({
  addProseMirrorPlugins() {
    const awareness = this.options.provider.awareness as Awareness;
    // the library offers no option for y-tiptap's state filter: its caret plugin is swapped for one with it
    return (this.parent?.() ?? []).map((plugin) =>
      plugin.spec.key === yCursorPluginKey
        ? yCursorPlugin(awareness, {
            awarenessStateFilter: drawsCaret,
            cursorBuilder: (user) => this.options.render(user),
            selectionBuilder: (user) => this.options.selectionRender(user),
          })
        : plugin,
    );
  },
});
