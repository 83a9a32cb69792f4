import type { Round } from '@kneadback/shared/schemas/annotation';
import { ROUNDS } from '@kneadback/shared/schemas/annotation';
import { ChoiceButtons } from './ChoiceButtons.tsx';
import { roundDescription, roundTitle, type DebriefPeople } from './people.ts';

interface RoundSwitchProps {
  people: DebriefPeople;
  round: Round;
  onChange: (round: Round) => void;
  /** Rounds with a thread the partner wrote in since this person last read it. */
  unreadRounds?: ReadonlySet<Round>;
}

export function RoundSwitch({ people, round, onChange, unreadRounds }: RoundSwitchProps) {
  const options = ROUNDS.map((r) => {
    const unread = r !== round && unreadRounds?.has(r) === true;
    return {
      value: r,
      label: (
        <>
          {roundTitle(people, r)}
          {unread && <span className="round-switch__new" aria-hidden="true" title="New replies" />}
        </>
      ),
      ariaLabel: `Round ${r}: ${roundDescription(people, r)}${unread ? ', new replies' : ''}`,
    };
  });
  return (
    <ChoiceButtons<Round>
      legend={<span className="visually-hidden">Round</span>}
      options={options}
      value={round}
      onChange={onChange}
      className="round-switch"
    />
  );
}
