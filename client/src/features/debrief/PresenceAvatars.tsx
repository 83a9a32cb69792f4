import type { PeerPresence } from '../../lib/collab/useDebriefDoc.ts';
import type { Person } from './people.ts';

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = [...(words[0] ?? '?')][0] ?? '?';
  const last = words.length > 1 ? ([...words[words.length - 1]!][0] ?? '') : '';
  return (first + last).toUpperCase();
}

interface PresenceAvatarsProps {
  me: Person & { color: string };
  peers: readonly PeerPresence[];
  /** Only a live connection can tell whether the partner is here. */
  live: boolean;
}

/** Who has the debrief open now, each in the colour of their pointer on the map. */
export function PresenceAvatars({ me, peers, live }: PresenceAvatarsProps) {
  // One avatar per person, however many devices they use
  const others = [...new Map(peers.filter((p) => p.user.id !== me.id).map((p) => [p.user.id, p.user])).values()];
  const people = [
    { id: me.id, name: me.name, color: me.color, you: true },
    ...others.map((u) => ({ ...u, you: false })),
  ];
  const names = people.map((p) => (p.you ? 'you' : p.name));
  return (
    <div className="presence">
      <ul className="presence__list" aria-label={`Here now: ${names.join(', ')}`}>
        {people.map((p) => (
          <li
            key={p.id}
            className="presence__avatar"
            style={{ backgroundColor: p.color }}
            title={p.you ? `${p.name} (you)` : p.name}
          >
            <span aria-hidden="true">{initials(p.name)}</span>
          </li>
        ))}
      </ul>
      {live && others.length === 0 && <span className="presence__alone">Your partner isn’t here yet</span>}
    </div>
  );
}
