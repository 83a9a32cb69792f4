import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { noteBody } from '@kneadback/shared/docs/note-doc';
import { wouldChange } from './read-only.ts';

const paragraph = (text: string) => {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
};

/** A server document with history (inserts and deletions) and a reader's device in step with it. */
function inStep() {
  const server = new Y.Doc();
  const body = noteBody(server);
  body.insert(0, [paragraph('hello'), paragraph('brave'), paragraph('world')]);
  body.delete(1, 1);
  const reader = new Y.Doc();
  Y.applyUpdate(reader, Y.encodeStateAsUpdate(server));
  return { server, reader };
}

describe('wouldChange', () => {
  it("is false for a reader's sync that carries only what the server has, deletions included", () => {
    const { server, reader } = inStep();
    expect(wouldChange(server, Y.encodeStateAsUpdate(reader))).toBe(false);
    expect(wouldChange(server, Y.encodeStateAsUpdate(reader, Y.encodeStateVector(server)))).toBe(false);
  });

  it('is true for new content or a new deletion', () => {
    const inserted = inStep();
    noteBody(inserted.reader).insert(0, [paragraph('!')]);
    expect(
      wouldChange(inserted.server, Y.encodeStateAsUpdate(inserted.reader, Y.encodeStateVector(inserted.server))),
    ).toBe(true);

    const deleted = inStep();
    noteBody(deleted.reader).delete(0, 1);
    expect(
      wouldChange(deleted.server, Y.encodeStateAsUpdate(deleted.reader, Y.encodeStateVector(deleted.server))),
    ).toBe(true);
  });
});
