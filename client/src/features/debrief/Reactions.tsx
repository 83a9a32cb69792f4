import { REACTIONS, type ThreadEntry } from '@kneadback/shared/schemas/annotation';
import type { Reaction } from '../../lib/collab/useDebriefDoc.ts';
import type { DebriefPeople } from './people.ts';

const REACTION_NAMES: Record<Reaction, string> = {
  '👍': 'Thumbs up',
  '🙏': 'Thanks',
  '💡': 'Good idea',
  '❤️': 'Love it',
  '😅': 'Oops',
};

interface ReactionsProps {
  entry: ThreadEntry;
  people: DebriefPeople;
  onToggle: (emoji: Reaction) => void;
}

export function Reactions({ entry, people, onToggle }: ReactionsProps) {
  return (
    <ul className="reactions" aria-label="Reactions">
      {REACTIONS.map((emoji) => {
        const who = entry.reactions[emoji] ?? [];
        const mine = who.includes(people.me.id);
        const names = who.map((id) => people.nameOf(id)).join(', ');
        return (
          <li key={emoji}>
            <button
              type="button"
              className="reaction"
              aria-pressed={mine}
              title={names || REACTION_NAMES[emoji]}
              aria-label={`${REACTION_NAMES[emoji]}${who.length ? `: ${names}` : ''}`}
              onClick={() => onToggle(emoji)}
            >
              <span aria-hidden="true">{emoji}</span>
              {who.length > 0 && (
                <span className="reaction__count" aria-hidden="true">
                  {who.length}
                </span>
              )}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
