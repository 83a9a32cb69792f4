import type { Certification } from '@kneadback/shared/schemas/profile';
import { MODALITIES, MODALITY_LABELS } from '@kneadback/shared/vocabulary';
import { Button } from '../../app/ui/Button.tsx';
import { SelectField } from '../../app/ui/SelectField.tsx';
import { TextField } from '../../app/ui/TextField.tsx';

const MODALITY_CHOICES = MODALITIES.map((value) => ({ value, label: MODALITY_LABELS[value] }));

const blank = (): Certification => ({
  title: '',
  modality: 'swedish',
  issuer: '',
  year: new Date().getFullYear(),
  qualifiesToTeach: false,
});

export function CertificationsField({
  value,
  onChange,
}: {
  value: Certification[];
  onChange: (next: Certification[]) => void;
}) {
  const update = (i: number, change: Partial<Certification>) =>
    onChange(value.map((c, j) => (j === i ? { ...c, ...change } : c)));
  return (
    <div className="certifications">
      {value.map((c, i) => (
        <div key={i} className="certification">
          <TextField
            label="Certificate"
            value={c.title}
            maxLength={100}
            onChange={(e) => update(i, { title: e.target.value })}
          />
          <SelectField
            label="Modality"
            options={MODALITY_CHOICES}
            value={c.modality}
            onChange={(e) => update(i, { modality: e.target.value as Certification['modality'] })}
          />
          <TextField
            label="Issued by"
            value={c.issuer}
            maxLength={100}
            onChange={(e) => update(i, { issuer: e.target.value })}
          />
          <TextField
            label="Year"
            type="number"
            inputMode="numeric"
            value={String(c.year)}
            onChange={(e) => update(i, { year: Math.floor(Number(e.target.value) || 0) })}
          />
          <label className="choice certification__teach">
            <input
              type="checkbox"
              className="choice__input"
              checked={c.qualifiesToTeach}
              onChange={(e) => update(i, { qualifiesToTeach: e.target.checked })}
            />
            <span>Qualifies me to teach this modality (instructor)</span>
          </label>
          <Button variant="ghost" onClick={() => onChange(value.filter((_, j) => j !== i))}>
            Remove this certificate
          </Button>
        </div>
      ))}
      {value.length < 20 && (
        <Button variant="secondary" onClick={() => onChange([...value, blank()])}>
          Add a certificate
        </Button>
      )}
    </div>
  );
}
