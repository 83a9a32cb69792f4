import { useMutation } from '@tanstack/react-query';
import { useId } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { z } from 'zod';
import {
  createExchangeRequestBodySchema,
  exchangeRequestResponseSchema,
  type CreateExchangeRequestBody,
  type ExchangePlace,
} from '@kneadback/shared/schemas/exchange-request';
import { OBJECT_ID_PATTERN } from '@kneadback/shared/schemas/common';
import type { Modality } from '@kneadback/shared/vocabulary';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { CheckboxGroup } from '../../app/ui/CheckboxGroup.tsx';
import { SelectField } from '../../app/ui/SelectField.tsx';
import { TextField } from '../../app/ui/TextField.tsx';
import { api } from '../../lib/api.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import { useForm } from '../../lib/useForm.ts';
import { RoundLengthField } from '../exchanges/RoundLengthField.tsx';
import { MODALITY_CHOICES } from './labels.ts';
import { PlaceFields } from './PlaceFields.tsx';
import { localInputValue, withLocalOffset } from './requestTime.ts';
import './exchange-requests.css';

type RequestValues = {
  toEmail: string;
  startsAt: string;
  place: ExchangePlace;
  placeNote: string;
  proposerGives: Modality[];
  recipientGives: Modality[];
  roundMinutes: string;
  message: string;
  repeat: string;
  occurrences: string;
};

const REPEAT_CHOICES = [
  { value: '0', label: 'Just once' },
  { value: '1', label: 'Every week' },
  { value: '2', label: 'Every 2 weeks' },
  { value: '4', label: 'Every 4 weeks' },
];
const OCCURRENCE_CHOICES = [2, 3, 4, 6, 8, 12].map((n) => ({ value: String(n), label: `${n} times` }));

function toBody(toUserId: string | null) {
  return (values: unknown): CreateExchangeRequestBody => {
    const v = values as RequestValues;
    return {
      ...(toUserId ? { toUserId } : { toEmail: v.toEmail }),
      startsAt: withLocalOffset(v.startsAt),
      place: v.place,
      placeNote: v.placeNote,
      proposerGives: v.proposerGives,
      recipientGives: v.recipientGives,
      roundMinutes: Number(v.roundMinutes),
      message: v.message,
      repeat: v.repeat === '0' ? null : { everyWeeks: Number(v.repeat), occurrences: Number(v.occurrences) },
    };
  };
}

/** /exchanges/request?with=<userId> from a profile; without it, the partner is named by email. */
export function RequestExchangePage() {
  usePageTitle('Request an exchange');
  const [params] = useSearchParams();
  const withParam = params.get('with');
  const toUserId = withParam && OBJECT_ID_PATTERN.test(withParam) ? withParam : null;
  const navigate = useNavigate();
  const messageId = useId();
  const form = useForm<RequestValues>({
    toEmail: '',
    startsAt: localInputValue(3, 10),
    place: 'mine',
    placeNote: '',
    proposerGives: [],
    recipientGives: [],
    roundMinutes: '60',
    message: '',
    repeat: '0',
    occurrences: '4',
  });
  const send = useMutation({
    mutationFn: (body: CreateExchangeRequestBody) =>
      api.post('/api/exchange-requests', body, exchangeRequestResponseSchema),
    meta: { invalidates: [queryKeys.exchangeRequests.all] },
  });
  const schema = z.preprocess(toBody(toUserId), createExchangeRequestBodySchema);
  const submit = form.handleSubmit(schema, async (body) => {
    const { request } = await send.mutateAsync(body);
    navigate(`/exchanges/requests#request-${request.id}`);
  });

  return (
    <div className="page page--narrow stack">
      <h1>Request an exchange</h1>
      <p className="lead">
        Propose a time, a place and what each of you gives. Nothing is booked until your partner accepts; they can also
        propose another time.
      </p>
      <form className="card stack request-form" noValidate onSubmit={submit}>
        {form.formError && <Alert tone="error">{form.formError}</Alert>}
        {!toUserId && (
          <TextField
            {...form.textField('toEmail')}
            label="Your partner's email"
            type="email"
            autoComplete="off"
            hint="If nobody uses this address, the request simply stays unanswered."
          />
        )}
        <div className="request-form__row">
          <TextField {...form.textField('startsAt')} label="When" type="datetime-local" required />
          <RoundLengthField
            hint="Each person who gives, gives one round."
            value={form.values.roundMinutes}
            error={form.fieldErrors.roundMinutes}
            onChange={(m) => form.setValue('roundMinutes', m)}
          />
        </div>
        <PlaceFields
          place={form.values.place}
          placeNote={form.values.placeNote}
          errors={form.fieldErrors}
          onPlace={(p) => form.setValue('place', p)}
          onPlaceNote={(n) => form.setValue('placeNote', n)}
        />
        <CheckboxGroup
          legend="You give"
          hint="Leave empty if you only receive this time."
          options={MODALITY_CHOICES}
          value={form.values.proposerGives}
          error={form.fieldErrors.proposerGives}
          onChange={(next) => form.setValue('proposerGives', next)}
        />
        <CheckboxGroup
          legend="You would like to receive"
          options={MODALITY_CHOICES}
          value={form.values.recipientGives}
          error={form.fieldErrors.recipientGives}
          onChange={(next) => form.setValue('recipientGives', next)}
        />
        <div className="request-form__row">
          <SelectField
            label="Repeat"
            options={REPEAT_CHOICES}
            value={form.values.repeat}
            onChange={(e) => form.setValue('repeat', e.target.value)}
          />
          {form.values.repeat !== '0' && (
            <SelectField
              label="How many times"
              options={OCCURRENCE_CHOICES}
              value={form.values.occurrences}
              error={form.fieldErrors.repeat}
              onChange={(e) => form.setValue('occurrences', e.target.value)}
            />
          )}
        </div>
        <div className="field">
          <label htmlFor={messageId} className="field__label">
            Message (optional)
          </label>
          <textarea
            id={messageId}
            className="field__input request-form__message"
            rows={3}
            maxLength={1000}
            value={form.values.message}
            onChange={(e) => form.setValue('message', e.target.value)}
          />
        </div>
        <Button type="submit" busy={form.busy} block>
          Send request
        </Button>
      </form>
    </div>
  );
}
