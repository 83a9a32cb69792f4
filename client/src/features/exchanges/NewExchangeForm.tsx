import { Link } from 'react-router-dom';
import { z } from 'zod';
import { createExchangeBodySchema, type Exchange } from '@kneadback/shared/schemas/exchange';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { TextField } from '../../app/ui/TextField.tsx';
import { useForm } from '../../lib/useForm.ts';
import { todayIsoDay } from './dates.ts';
import { useCreateExchange } from './exchangeQueries.ts';
import { RoundLengthField } from './RoundLengthField.tsx';

type NewExchangeValues = { date: string; roundMinutes: string };

const schema = z.preprocess((values) => {
  const v = values as NewExchangeValues;
  return { date: v.date, roundMinutes: Number(v.roundMinutes) };
}, createExchangeBodySchema);

/**
 * An exchange with an invite link: the partner joins by opening it (their consent). Someone known by email or
 * profile gets a request instead, which they accept, decline or answer with another time.
 */
export function NewExchangeForm({
  onCreated,
  onCancel,
}: {
  onCreated: (exchange: Exchange) => void;
  onCancel?: () => void;
}) {
  const creation = useCreateExchange();
  const form = useForm<NewExchangeValues>({ date: todayIsoDay(), roundMinutes: '60' });

  const submit = form.handleSubmit(schema, async (body) => {
    onCreated(await creation.mutateAsync(body));
  });

  return (
    <form className="stack new-exchange" noValidate onSubmit={submit}>
      {form.formError && <Alert tone="error">{form.formError}</Alert>}
      <p className="field__hint">
        Know their email?{' '}
        <Link className="touch-link" to="/exchanges/request">
          Send an exchange request
        </Link>
        : they accept, decline or propose another time.
      </p>
      <div className="new-exchange__when">
        <TextField {...form.textField('date')} label="Date" type="date" required />
        <RoundLengthField
          hint="Each of you gives one round."
          value={form.values.roundMinutes}
          error={form.fieldErrors.roundMinutes}
          onChange={(m) => form.setValue('roundMinutes', m)}
        />
      </div>
      <p className="field__hint new-exchange__link-hint">
        You get a link to send your partner by message or email. They sign in (or create an account) and join the
        exchange with it.
      </p>
      <div className="new-exchange__actions">
        <Button type="submit" busy={form.busy}>
          Create invite link
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
