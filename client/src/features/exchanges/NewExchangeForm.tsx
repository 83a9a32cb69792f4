import { useId, useMemo, useState } from 'react';
import { z } from 'zod';
import { createExchangeBodySchema, type Exchange } from '@kneadback/shared/schemas/exchange';
import { emailSchema } from '@kneadback/shared/schemas/user';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { SelectField } from '../../app/ui/SelectField.tsx';
import { TextField } from '../../app/ui/TextField.tsx';
import { useForm } from '../../lib/useForm.ts';
import { todayIsoDay } from './dates.ts';
import { useCreateExchange } from './exchangeQueries.ts';

type PartnerMode = 'email' | 'link';

type NewExchangeValues = { date: string; roundMinutes: string; partnerEmail: string };

const ROUND_CHOICES = [30, 45, 60, 75, 90, 120].map((m) => ({ value: String(m), label: `${m} minutes` }));

const toBody = (mode: PartnerMode) => (values: unknown) => {
  const v = values as NewExchangeValues;
  return {
    date: v.date,
    roundMinutes: Number(v.roundMinutes),
    ...(mode === 'email' && { partnerEmail: v.partnerEmail }),
  };
};

// Same rules as the server; by email, an empty address gets a clearer message than "enter a valid email address".
const byEmailSchema = createExchangeBodySchema.extend({
  partnerEmail: z.string().trim().min(1, "enter your partner's email, or invite them with a link").pipe(emailSchema),
});

export function NewExchangeForm({
  onCreated,
  onCancel,
}: {
  onCreated: (exchange: Exchange) => void;
  onCancel?: () => void;
}) {
  const [mode, setMode] = useState<PartnerMode>('email');
  const creation = useCreateExchange();
  const form = useForm<NewExchangeValues>({ date: todayIsoDay(), roundMinutes: '60', partnerEmail: '' });
  const modeName = useId();
  const schema = useMemo(
    () => z.preprocess(toBody(mode), mode === 'email' ? byEmailSchema : createExchangeBodySchema),
    [mode],
  );

  const submit = form.handleSubmit(schema, async (body) => {
    onCreated(await creation.mutateAsync(body));
  });

  function chooseMode(next: PartnerMode) {
    setMode(next);
    // Setting a field clears its error: a "no account with that email" message must not linger after switching
    form.setValue('partnerEmail', form.values.partnerEmail);
  }

  return (
    <form className="stack new-exchange" noValidate onSubmit={submit}>
      {form.formError && <Alert tone="error">{form.formError}</Alert>}
      <div className="new-exchange__when">
        <TextField {...form.textField('date')} label="Date" type="date" required />
        <SelectField
          label="Round length"
          hint="Each of you gives one round."
          options={ROUND_CHOICES}
          value={form.values.roundMinutes}
          error={form.fieldErrors.roundMinutes}
          onChange={(e) => form.setValue('roundMinutes', e.target.value)}
        />
      </div>

      <fieldset className="choice-group">
        <legend className="field__label">Partner</legend>
        <div className="choice-group__options">
          <label className="choice">
            <input
              type="radio"
              className="choice__input"
              name={modeName}
              checked={mode === 'email'}
              onChange={() => chooseMode('email')}
            />
            <span>By their Kneadback email</span>
          </label>
          <label className="choice">
            <input
              type="radio"
              className="choice__input"
              name={modeName}
              checked={mode === 'link'}
              onChange={() => chooseMode('link')}
            />
            <span>Invite with a link instead</span>
          </label>
        </div>
      </fieldset>

      {mode === 'email' ? (
        <div className="stack new-exchange__partner">
          <TextField
            {...form.textField('partnerEmail')}
            label="Partner's email"
            type="email"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            hint="The address they signed up with. They are notified and the exchange appears in their list."
            required
          />
          {form.fieldErrors.partnerEmail && (
            <div>
              <Button variant="secondary" onClick={() => chooseMode('link')}>
                Invite with a link instead
              </Button>
            </div>
          )}
        </div>
      ) : (
        <p className="field__hint new-exchange__link-hint">
          You get a link to send your partner by message or email. They sign in (or create an account) and join the
          exchange with it.
        </p>
      )}

      <div className="new-exchange__actions">
        <Button type="submit" busy={form.busy}>
          {mode === 'email' ? 'Create exchange' : 'Create invite link'}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
