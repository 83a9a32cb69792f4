import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAnnotation, addReply, setAnnotationStatus, toggleReaction } from './debrief-doc.ts';
import { checkDebriefUpdate } from './debrief-guard.ts';
import type { AnnotationInput } from '../schemas/annotation.ts';

const ANA = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const BEN = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const trap: AnnotationInput = {
  round: 1,
  position: { view: 'posterior', x: 170, y: 149, regionId: 'posterior-upper-trapezius-left' },
  category: 'praise',
};

/** The server's copy and one client's copy of a debrief; the client's device belongs to `owner`. */
function setup(owner: string) {
  const server = new Y.Doc();
  const client = new Y.Doc();
  const ownerOf = (id: number) => (id === client.clientID ? owner : id === server.clientID ? ANA : undefined);
  const pending = () => Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
  const deliver = () => Y.applyUpdate(server, pending());
  return { server, client, ownerOf, pending, deliver };
}

describe('checkDebriefUpdate', () => {
  it('accepts a mark, a reply and a status change written by their author', () => {
    const { server, client, ownerOf, pending } = setup(BEN);
    const mark = addAnnotation(client, BEN, trap);
    const reply = addReply(client, mark.id, BEN, { text: 'hello' });
    setAnnotationStatus(client, mark.id, 'resolved', BEN);
    toggleReaction(client, reply.id, BEN, '👍');
    expect(checkDebriefUpdate(server, pending(), ownerOf)).toEqual({ ok: true });
  });

  it('refuses a mark or reply that names someone else as author', () => {
    const a = setup(BEN);
    addAnnotation(a.client, ANA, trap);
    expect(checkDebriefUpdate(a.server, a.pending(), a.ownerOf)).toMatchObject({ ok: false });

    const b = setup(BEN);
    const mark = addAnnotation(b.client, BEN, trap);
    b.deliver();
    addReply(b.client, mark.id, ANA, { text: 'not me' });
    expect(checkDebriefUpdate(b.server, b.pending(), b.ownerOf)).toMatchObject({ ok: false });
  });

  it("refuses rewriting an existing mark's author, even to oneself", () => {
    const { server, client, ownerOf, pending } = setup(BEN);
    const mark = addAnnotation(server, ANA, trap);
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    client.transact(() =>
      (client as unknown as { getMap(n: string): Y.Map<Y.Map<unknown>> })
        .getMap('annotations')
        .get(mark.id)!
        .set('authorId', BEN),
    );
    expect(checkDebriefUpdate(server, pending(), ownerOf)).toEqual({ ok: false, reason: 'authorship cannot change' });
  });

  it("refuses editing a partner's reply, and a creation time in the future", () => {
    const { server, client, ownerOf, pending } = setup(BEN);
    const mark = addAnnotation(server, ANA, trap);
    const reply = addReply(server, mark.id, ANA, { text: 'mine' });
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    // bypass the module's own check, as a hostile client would
    client.transact(() =>
      (client as unknown as { getMap(n: string): Y.Map<Y.Map<unknown>> })
        .getMap('thread')
        .get(reply.id)!
        .set('text', 'changed'),
    );
    expect(checkDebriefUpdate(server, pending(), ownerOf)).toMatchObject({ ok: false });

    const later = setup(BEN);
    addAnnotation(later.client, BEN, trap, { now: Date.now() + 3 * 3_600_000 });
    expect(checkDebriefUpdate(later.server, later.pending(), later.ownerOf)).toMatchObject({ ok: false });
  });

  it('refuses a reaction in the name of someone else', () => {
    const { server, client, ownerOf, pending, deliver } = setup(BEN);
    const mark = addAnnotation(client, BEN, trap);
    const reply = addReply(client, mark.id, BEN, { text: 'hi' });
    deliver();
    toggleReaction(client, reply.id, ANA, '👍');
    expect(checkDebriefUpdate(server, pending(), ownerOf)).toEqual({ ok: false, reason: 'reactions are your own' });
  });

  it('ignores re-sent changes the server already has', () => {
    const { server, client, deliver } = setup(BEN);
    addAnnotation(client, BEN, trap);
    deliver();
    expect(checkDebriefUpdate(server, Y.encodeStateAsUpdate(client), () => undefined)).toEqual({ ok: true });
  });
});
