import type { Annotation, AnnotationPatch } from '@kneadback/shared/schemas/annotation';
import {
  PRESSURE_MAX,
  PRESSURE_MIN,
  PRESSURE_VERDICTS,
  VERDICT_LABELS,
  type PressureVerdict,
} from '@kneadback/shared/vocabulary';
import { ChoiceButtons } from './ChoiceButtons.tsx';

const LEVELS = Array.from({ length: PRESSURE_MAX - PRESSURE_MIN + 1 }, (_, i) => PRESSURE_MIN + i);
const scaleOptions = (what: string) =>
  LEVELS.map((n) => ({ value: n, label: String(n), ariaLabel: `${what} ${n} of ${PRESSURE_MAX}` }));
const FELT_OPTIONS = scaleOptions('Felt');
const WANTED_OPTIONS = scaleOptions('Wanted');
const VERDICT_OPTIONS = PRESSURE_VERDICTS.map((v) => ({ value: v, label: VERDICT_LABELS[v] }));

interface PressureFieldsProps {
  annotation: Annotation;
  onChange: (patch: AnnotationPatch) => void;
}

/** What the receiver felt, whether it suited them, and (when it did not) what they wanted. */
export function PressureFields({ annotation, onChange }: PressureFieldsProps) {
  const { pressure, verdict, wanted } = annotation;
  const askWanted = wanted !== null || (verdict !== null && verdict !== 'just-right');
  return (
    <div className="pressure-fields">
      <ChoiceButtons
        legend={`Pressure felt (${PRESSURE_MIN} light – ${PRESSURE_MAX} very deep)`}
        options={FELT_OPTIONS}
        value={pressure}
        onChange={(n) => onChange({ pressure: n })}
        onClear={() => onChange({ pressure: null })}
        className="scale-buttons"
      />
      <ChoiceButtons<PressureVerdict>
        legend="Verdict"
        options={VERDICT_OPTIONS}
        value={verdict}
        onChange={(v) => onChange({ verdict: v })}
        onClear={() => onChange({ verdict: null, wanted: null })}
        className="verdict-buttons"
      />
      {askWanted && (
        <ChoiceButtons
          legend={
            <>
              Pressure wanted <span className="optional">(optional)</span>
            </>
          }
          options={WANTED_OPTIONS}
          value={wanted}
          onChange={(n) => onChange({ wanted: n })}
          onClear={() => onChange({ wanted: null })}
          className="scale-buttons"
        />
      )}
    </div>
  );
}
