import type { Round } from '@kneadback/shared/schemas/annotation';
import { ROUNDS } from '@kneadback/shared/schemas/annotation';
import { ChoiceButtons } from './ChoiceButtons.tsx';
import { roundDescription, roundTitle, type DebriefPeople } from './people.ts';

interface RoundSwitchProps {
  people: DebriefPeople;
  round: Round;
  onChange: (round: Round) => void;
}

export function RoundSwitch({ people, round, onChange }: RoundSwitchProps) {
  const options = ROUNDS.map((r) => ({
    value: r,
    label: roundTitle(people, r),
    ariaLabel: `Round ${r}: ${roundDescription(people, r)}`,
  }));
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
