import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import {
  MAX_CERTIFICATION_NAME,
  MAX_NOTE_FIELD_TEXT,
  MAX_NOTE_STEP,
  MAX_NOTE_STEPS,
  MAX_TEACHER_NAME,
  SITUATION_LABELS,
  SITUATION_TYPES,
  type LessonFields,
  type NoteFields,
  type SituationFields,
  type TechniqueFields,
} from '@kneadback/shared/schemas/note';
import { MODALITIES, MODALITY_LABELS } from '@kneadback/shared/vocabulary';
import { SelectField, type Choice } from '../../../app/ui/SelectField.tsx';
import { noteQueries } from '../noteApi.ts';
import { DraftText } from './DraftText.tsx';

export type SetField = (key: string, value: unknown) => void;

interface KindFieldsProps {
  fields: NoteFields;
  canEdit: boolean;
  setField: SetField;
  /** Lessons: whether the teacher's profile confirms a certification (from the server). */
  teacherCertified: boolean | null;
}

/** The fields of the note's kind: editable for the owner and editors, plain facts for readers. */
export function KindFields({ fields, canEdit, setField, teacherCertified }: KindFieldsProps) {
  switch (fields.kind) {
    case 'technique':
      return <TechniqueFieldsView fields={fields} canEdit={canEdit} setField={setField} />;
    case 'situation':
      return <SituationFieldsView fields={fields} canEdit={canEdit} setField={setField} />;
    case 'lesson':
      return (
        <LessonFieldsView fields={fields} canEdit={canEdit} setField={setField} teacherCertified={teacherCertified} />
      );
  }
}

function ChoiceField(props: {
  label: string;
  value: string | null;
  choices: readonly Choice<string>[];
  canEdit: boolean;
  onChange: (value: string | null) => void;
}) {
  if (!props.canEdit)
    return <Fact label={props.label} text={props.choices.find((c) => c.value === props.value)?.label} />;
  return (
    <SelectField
      label={props.label}
      value={props.value ?? ''}
      options={[{ value: '', label: 'Not said' }, ...props.choices]}
      onChange={(e) => props.onChange(e.target.value || null)}
    />
  );
}

function Fact({ label, text }: { label: string; text: string | undefined | null }) {
  return (
    <div className="note-fact">
      <span className="note-fact__label">{label}</span>
      <span className="note-fact__text">{text?.trim() ? text : 'Not said'}</span>
    </div>
  );
}

function TextFact(props: {
  label: string;
  value: string;
  canEdit: boolean;
  onCommit: (v: string) => void;
  max: number;
  multiline?: boolean;
}) {
  if (!props.canEdit) return <Fact label={props.label} text={props.value} />;
  return (
    <DraftText
      label={props.label}
      value={props.value}
      maxLength={props.max}
      onCommit={props.onCommit}
      multiline={props.multiline}
    />
  );
}

const MODALITY_CHOICES = MODALITIES.map((m) => ({ value: m, label: MODALITY_LABELS[m] }));
const SITUATION_CHOICES = SITUATION_TYPES.map((s) => ({ value: s, label: SITUATION_LABELS[s] }));
const SITUATION_TEXTS = [
  { key: 'whatHappened', label: 'What happened' },
  { key: 'whatHelped', label: 'What helped' },
  { key: 'tryNext', label: 'What to try next time' },
] as const satisfies readonly { key: keyof SituationFields; label: string }[];

function TechniqueFieldsView({
  fields,
  canEdit,
  setField,
}: {
  fields: TechniqueFields;
  canEdit: boolean;
  setField: SetField;
}) {
  const { steps } = fields;
  const setSteps = (next: string[]) => setField('steps', next);
  return (
    <div className="note-fields">
      <ChoiceField
        label="Modality"
        value={fields.modality}
        choices={MODALITY_CHOICES}
        canEdit={canEdit}
        onChange={(v) => setField('modality', v)}
      />
      <fieldset className="note-steps">
        <legend className="field__label">Steps</legend>
        {steps.length === 0 && <p className="field__hint">{canEdit ? 'No steps yet.' : 'No steps written.'}</p>}
        {canEdit ? (
          <ol className="note-steps__list">
            {steps.map((step, i) => (
              <li key={i} className="note-steps__step">
                <DraftText
                  label={`Step ${i + 1}`}
                  value={step}
                  maxLength={MAX_NOTE_STEP}
                  onCommit={(value) => setSteps(steps.map((s, j) => (j === i ? value : s)))}
                />
                <button
                  type="button"
                  className="button button--ghost"
                  aria-label={`Remove step ${i + 1}`}
                  onClick={() => setSteps(steps.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              </li>
            ))}
          </ol>
        ) : (
          <ol className="note-steps__list">
            {steps.map((step, i) => (
              <li key={i}>{step}</li>
            ))}
          </ol>
        )}
        {canEdit && steps.length < MAX_NOTE_STEPS && (
          <button type="button" className="button button--secondary" onClick={() => setSteps([...steps, ''])}>
            Add a step
          </button>
        )}
      </fieldset>
    </div>
  );
}

function SituationFieldsView({
  fields,
  canEdit,
  setField,
}: {
  fields: SituationFields;
  canEdit: boolean;
  setField: SetField;
}) {
  return (
    <div className="note-fields">
      <ChoiceField
        label="The situation"
        value={fields.situation}
        choices={SITUATION_CHOICES}
        canEdit={canEdit}
        onChange={(v) => setField('situation', v)}
      />
      <p className="field__hint">
        Describe what happened, never who: no names, dates or anything that points to a client.
      </p>
      {SITUATION_TEXTS.map(({ key, label }) => (
        <TextFact
          key={key}
          label={label}
          value={fields[key]}
          canEdit={canEdit}
          max={MAX_NOTE_FIELD_TEXT}
          onCommit={(v) => setField(key, v)}
          multiline
        />
      ))}
    </div>
  );
}

function LessonFieldsView({
  fields,
  canEdit,
  setField,
  teacherCertified,
}: {
  fields: LessonFields;
  canEdit: boolean;
  setField: SetField;
  teacherCertified: boolean | null;
}) {
  const claimId = useId();
  return (
    <div className="note-fields">
      {canEdit && <TeacherPicker fields={fields} setField={setField} />}
      <TextFact
        label="Who taught it"
        value={fields.teacherName}
        canEdit={canEdit}
        max={MAX_TEACHER_NAME}
        onCommit={(v) => setField('teacherName', v)}
      />
      {canEdit ? (
        <label className="choice" htmlFor={claimId}>
          <input
            id={claimId}
            type="checkbox"
            className="choice__input"
            checked={fields.teacherClaimsCertification}
            onChange={(e) => setField('teacherClaimsCertification', e.target.checked)}
          />
          <span>They hold a teaching certification for this</span>
        </label>
      ) : null}
      {(canEdit && fields.teacherClaimsCertification) || (!canEdit && fields.certification) ? (
        canEdit ? (
          <DraftText
            label="Which certification"
            value={fields.certification}
            maxLength={MAX_CERTIFICATION_NAME}
            hint="For example: LaStone instructor."
            onCommit={(v) => setField('certification', v)}
          />
        ) : (
          <Fact label="Certification" text={fields.certification} />
        )
      ) : null}
      <p className={`note-teaching note-teaching--${teacherCertified ? 'certified' : 'tip'}`}>
        {teacherCertified
          ? "Qualified instruction: the teacher's profile shows a teaching certification."
          : fields.teacherClaimsCertification
            ? "The writer says the teacher is certified; the teacher's profile does not confirm it. Treat it as a practice tip."
            : 'A practice tip from a partner, not certified instruction. Formal training may still be needed before using it with clients.'}
      </p>
    </div>
  );
}

/** A partner on Kneadback as the teacher, so their profile can confirm a certification. */
function TeacherPicker({ fields, setField }: { fields: LessonFields; setField: SetField }) {
  const partners = useQuery(noteQueries.sharePartners());
  const list = partners.data?.partners ?? [];
  return (
    <SelectField
      label="Taught by a partner"
      value={fields.teacherId ?? ''}
      options={[
        { value: '', label: 'Someone else (type their name below)' },
        ...list.map((p) => ({ value: p.id, label: p.displayName })),
      ]}
      onChange={(e) => {
        const partner = list.find((p) => p.id === e.target.value);
        setField('teacherId', partner?.id ?? null);
        if (partner) setField('teacherName', partner.displayName);
      }}
    />
  );
}
