import type { ModalityYears } from '@kneadback/shared/schemas/profile';
import { MODALITIES, MODALITY_LABELS } from '@kneadback/shared/vocabulary';

/** Each modality as a tile; a checked one asks for the years practised. */
export function ModalitiesField({
  value,
  onChange,
}: {
  value: ModalityYears[];
  onChange: (next: ModalityYears[]) => void;
}) {
  const years = new Map(value.map((m) => [m.modality, m.years]));
  const set = (next: Map<ModalityYears['modality'], number>) =>
    onChange(MODALITIES.filter((m) => next.has(m)).map((modality) => ({ modality, years: next.get(modality)! })));

  return (
    <div className="modality-years">
      {MODALITIES.map((modality) => {
        const checked = years.has(modality);
        return (
          <div key={modality} className="modality-years__row">
            <label className="choice">
              <input
                type="checkbox"
                className="choice__input"
                checked={checked}
                onChange={(e) => {
                  const next = new Map(years);
                  if (e.target.checked) next.set(modality, 0);
                  else next.delete(modality);
                  set(next);
                }}
              />
              <span>{MODALITY_LABELS[modality]}</span>
            </label>
            {checked && (
              <label className="modality-years__years">
                <input
                  type="number"
                  aria-label={`Years practising ${MODALITY_LABELS[modality]}`}
                  inputMode="numeric"
                  min={0}
                  max={70}
                  className="field__input"
                  value={years.get(modality)}
                  onChange={(e) =>
                    set(new Map(years).set(modality, Math.max(0, Math.floor(Number(e.target.value) || 0))))
                  }
                />
                <span aria-hidden="true">years</span>
              </label>
            )}
          </div>
        );
      })}
    </div>
  );
}
