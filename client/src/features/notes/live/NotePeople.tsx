import type { NotePeer } from './useNotePeers.ts';

/** Who else has the note open now, each in the colour of their caret. */
export function NotePeople({ peers, myId }: { peers: readonly NotePeer[]; myId: string }) {
  // One name per person, however many devices they use
  const others = [...new Map(peers.filter((p) => p.user.id !== myId).map((p) => [p.user.id, p.user])).values()];
  if (others.length === 0) return null;
  return (
    <ul className="note-people" aria-label={`Also here: ${others.map((u) => u.name).join(', ')}`}>
      {others.map((u) => (
        <li key={u.id} className="note-people__person">
          <span className="note-people__dot" style={{ backgroundColor: u.color }} aria-hidden="true" />
          {u.name}
        </li>
      ))}
    </ul>
  );
}
