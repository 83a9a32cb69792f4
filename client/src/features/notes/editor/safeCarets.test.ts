import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { noteBody } from '@kneadback/shared/docs/note-doc';
import { presenceUser } from '@kneadback/shared/docs/presence';
import { drawsCaret } from './safeCarets.ts';

const OWN = 1;
const PEER = 2;
const user = presenceUser({ id: 'c'.repeat(24), name: 'Cleo' });

/** A note body with one paragraph, and positions in it as a device's caret sends them (JSON). */
function noteWithPositions() {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText('Lean in');
  paragraph.insert(0, [text]);
  noteBody(doc).insert(0, [paragraph]);
  const wire = (pos: Y.RelativePosition) => JSON.parse(JSON.stringify(pos)) as unknown;
  return {
    doc,
    inText: wire(Y.createRelativePositionFromTypeIndex(text, 3, -1)),
    atBodyEnd: wire(Y.createRelativePositionFromTypeIndex(noteBody(doc), 1)),
    inParagraph: wire(Y.createRelativePositionFromTypeIndex(paragraph, 0)),
  };
}

/** What y-tiptap does with a caret while drawing it: throws on one it cannot read. */
function resolve(doc: Y.Doc, position: unknown) {
  return Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(position), doc);
}

describe('drawsCaret', () => {
  it("draws a partner's caret as their editor sends it, and no caret for no cursor; never this device's own", () => {
    const { doc, inText, atBodyEnd, inParagraph } = noteWithPositions();
    for (const [anchor, head] of [
      [inText, inText],
      [atBodyEnd, inText],
      [inParagraph, atBodyEnd],
    ]) {
      expect(drawsCaret(OWN, PEER, { user, cursor: { anchor, head } })).toBe(true);
      expect(resolve(doc, anchor)).not.toBeNull();
    }
    expect(drawsCaret(OWN, PEER, { user, cursor: null })).toBe(true);
    expect(drawsCaret(OWN, OWN, { user, cursor: { anchor: inText, head: inText } })).toBe(false);
  });

  it.each<[string, (p: { inText: unknown }) => unknown]>([
    ['a null anchor and head', () => ({ user, cursor: { anchor: null, head: null } })],
    ['no head', ({ inText }) => ({ user, cursor: { anchor: inText } })],
    ['a position naming nothing', ({ inText }) => ({ user, cursor: { anchor: {}, head: inText } })],
    [
      'an item id that is not numbers',
      ({ inText }) => ({ user, cursor: { anchor: { item: { client: 'x', clock: 1 } }, head: inText } }),
    ],
    ['another root by name', ({ inText }) => ({ user, cursor: { anchor: { tname: 'fields' }, head: inText } })],
    ['a string for a position', ({ inText }) => ({ user, cursor: { anchor: 'start', head: inText } })],
    ['no user', ({ inText }) => ({ cursor: { anchor: inText, head: inText } })],
    ['a colour that is not one', () => ({ user: { ...user, color: 'red' }, cursor: null })],
  ])('draws no caret for a state with %s', (_what, state) => {
    expect(drawsCaret(OWN, PEER, state(noteWithPositions()))).toBe(false);
  });

  it('refuses every position the editor would throw on while drawing', () => {
    const { doc } = noteWithPositions();
    for (const position of [null, {}, { type: null, tname: null, item: null }, 'start', 7]) {
      expect(() => resolve(doc, position)).toThrow();
      expect(drawsCaret(OWN, PEER, { user, cursor: { anchor: position, head: position } })).toBe(false);
    }
  });
});
