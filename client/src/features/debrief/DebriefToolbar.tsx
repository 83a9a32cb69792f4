import { useId } from 'react';
import type { Round } from '@kneadback/shared/schemas/annotation';
import type { PeerPresence } from '../../lib/collab/useDebriefDoc.ts';
import { receiverBodyLabel, type DebriefPeople } from './people.ts';
import { RoundSwitch } from './RoundSwitch.tsx';

interface DebriefToolbarProps {
  people: DebriefPeople;
  round: Round;
  onRoundChange: (round: Round) => void;
  /** Rounds with a thread the partner wrote in since this person last read it. */
  unreadRounds: ReadonlySet<Round>;
  partnerHere: PeerPresence | null;
  following: boolean;
  onFollowChange: (following: boolean) => void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? '⌘' : 'Ctrl+';

export function DebriefToolbar(props: DebriefToolbarProps) {
  const { people, round, onRoundChange, partnerHere, following, onFollowChange } = props;
  const partnerName = people.partner?.name ?? 'partner';
  const awayId = useId();
  return (
    <div className="spread-row debrief-toolbar">
      <div className="debrief-toolbar__round">
        <RoundSwitch people={people} round={round} onChange={onRoundChange} unreadRounds={props.unreadRounds} />
        <p className="debrief-toolbar__whose">
          The map shows <strong>{receiverBodyLabel(people, round)}</strong>
        </p>
      </div>
      <div className="debrief-toolbar__actions">
        <button
          type="button"
          className="toggle-button"
          aria-pressed={following}
          disabled={!partnerHere}
          aria-describedby={partnerHere ? undefined : awayId}
          title={partnerHere ? `See what ${partnerName} sees` : undefined}
          onClick={() => onFollowChange(!following)}
        >
          <span
            className="toggle-button__dot"
            aria-hidden="true"
            style={{ backgroundColor: partnerHere?.user.color }}
          />
          Follow {partnerName}
        </button>
        {/* In words beside the button, not in a tooltip: a touchscreen shows no tooltips */}
        {!partnerHere && (
          <span id={awayId} className="debrief-toolbar__away">
            {people.partner?.name ?? 'Your partner'} is not here
          </span>
        )}
        <div className="undo-group" role="group" aria-label="Undo and redo your changes">
          <button
            type="button"
            className="icon-button"
            disabled={!props.canUndo}
            onClick={props.onUndo}
            aria-keyshortcuts="Control+Z Meta+Z"
            title={`Undo your last change (${MOD}Z)`}
          >
            <span aria-hidden="true">↶</span> Undo
          </button>
          <button
            type="button"
            className="icon-button"
            disabled={!props.canRedo}
            onClick={props.onRedo}
            aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z"
            title={`Redo (${isMac ? '⇧⌘Z' : 'Ctrl+Shift+Z'})`}
          >
            <span aria-hidden="true">↷</span> Redo
          </button>
        </div>
      </div>
    </div>
  );
}
