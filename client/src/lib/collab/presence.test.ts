import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { initialPresence, nextPresence, readPeers } from './presence.ts';

const ANA = { id: 'a'.repeat(24), name: 'Ana' };
const BEN = { id: 'b'.repeat(24), name: 'Ben' };

describe('presence', () => {
  it('lists the other devices whose state parses, never this one', () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalState(initialPresence(ANA));
    const states = awareness.getStates();
    states.set(101, initialPresence(BEN));
    states.set(102, {}); // announced before the app filled it in
    states.set(103, { user: { id: 'not-an-id', name: 'X', color: 'red' } });
    const peers = readPeers(awareness);
    expect(peers.map((p) => [p.clientId, p.user.name])).toEqual([[101, 'Ben']]);
    awareness.destroy();
  });

  it('fills the whole schema shape and refuses values the server would refuse', () => {
    const start = initialPresence(ANA);
    expect(start).toMatchObject({ round: null, view: null, pointer: null, selectedAnnotationId: null, viewport: null });
    expect(nextPresence(start, { round: 2, view: 'posterior' })).toMatchObject({ round: 2, view: 'posterior' });
    expect(nextPresence(start, { viewport: { scale: 50, x: 0, y: 0 } })).toBeNull();
  });
});
