import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { z } from 'zod';
import {
  createEndorsementBodySchema,
  createReferralBodySchema,
  endorsementResponseSchema,
  ledgerResponseSchema,
  REFERRAL_HINT,
  referralListResponseSchema,
  referralResponseSchema,
  type CreateEndorsementBody,
  type CreateReferralBody,
} from '@kneadback/shared/schemas/partnership';
import type { Modality } from '@kneadback/shared/vocabulary';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { Loading, LoadFailed } from '../../app/ui/QueryStatus.tsx';
import { SelectField } from '../../app/ui/SelectField.tsx';
import { TextField } from '../../app/ui/TextField.tsx';
import { api } from '../../lib/api.ts';
import { apiQuery } from '../../lib/query.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import { useForm } from '../../lib/useForm.ts';
import { formatDay } from '@kneadback/shared/format/days';
import { todayIsoDay } from '../exchanges/dates.ts';
import { MODALITY_CHOICES } from '../exchange-requests/labels.ts';
import { EndorsementsList } from './EndorsementsList.tsx';
import { LedgerSummary } from './LedgerSummary.tsx';
import './partnership.css';

/** /partners/:userId — what the user and one partner built: the ledger, referrals both ways, endorsements. */
export function PartnerPage() {
  const { userId = '' } = useParams();
  const ledger = useQuery(
    apiQuery(
      queryKeys.partners.ledger(userId),
      `/api/partners/${encodeURIComponent(userId)}/ledger`,
      ledgerResponseSchema,
    ),
  );
  const name = ledger.data?.ledger.partner.displayName ?? 'Partner';
  usePageTitle(name);

  if (ledger.isPending) return <Loading what="this partnership" />;
  if (ledger.isError) {
    return ledger.error.status === 404 ? (
      <div className="page page--narrow stack">
        <h1>Partner</h1>
        <Alert tone="info" title="No exchange together yet">
          <p>Ledgers, referrals and endorsements open once you have booked an exchange with this therapist.</p>
          <Link className="touch-link" to={`/exchanges/request?with=${encodeURIComponent(userId)}`}>
            Request an exchange
          </Link>
        </Alert>
      </div>
    ) : (
      <LoadFailed what="this partnership" query={ledger} />
    );
  }
  return (
    <div className="page stack partner">
      <h1>{name}</h1>
      <section className="card stack" aria-label="Give and take">
        <h2>Give and take</h2>
        <LedgerSummary ledger={ledger.data.ledger} />
      </section>
      <Referrals partnerId={userId} name={name} />
      <EndorseForm partnerId={userId} name={name} />
      <EndorsementsList userId={userId} title={`${name} is endorsed for`} />
    </div>
  );
}

type ReferralValues = { forWhat: string; date: string };

function Referrals({ partnerId, name }: { partnerId: string; name: string }) {
  const list = useQuery(
    apiQuery(
      queryKeys.partners.referrals(partnerId),
      `/api/partners/${encodeURIComponent(partnerId)}/referrals`,
      referralListResponseSchema,
    ),
  );
  const form = useForm<ReferralValues>({ forWhat: '', date: todayIsoDay() });
  const record = useMutation({
    mutationFn: (body: CreateReferralBody) =>
      api.post(`/api/partners/${encodeURIComponent(partnerId)}/referrals`, body, referralResponseSchema),
    meta: { invalidates: [queryKeys.partners.referrals(partnerId)] },
  });
  const submit = form.handleSubmit(createReferralBodySchema, async (body) => {
    await record.mutateAsync(body);
    form.reset({ forWhat: '', date: todayIsoDay() });
  });
  return (
    <section className="card stack" aria-label="Referrals">
      <h2>Referrals</h2>
      {list.isPending && <Loading what="referrals" />}
      {list.isError && <LoadFailed what="referrals" query={list} />}
      {list.data?.referrals.length === 0 && <p>No referrals between you yet.</p>}
      {list.data && list.data.referrals.length > 0 && (
        <ul className="plain-list referrals__list">
          {list.data.referrals.map((r) => (
            <li key={r.id}>
              <strong>
                {r.direction === 'given' ? `You referred a client to ${name}` : `${name} referred a client to you`}
              </strong>
              : {r.forWhat} <span className="referrals__date">({formatDay(r.date, 'long')})</span>
            </li>
          ))}
        </ul>
      )}
      <form className="stack" noValidate onSubmit={submit}>
        <h3>Record a client you referred to {name}</h3>
        {form.formError && <Alert tone="error">{form.formError}</Alert>}
        <TextField {...form.textField('forWhat')} label="What for" hint={`${REFERRAL_HINT}.`} maxLength={140} />
        <TextField {...form.textField('date')} label="Date" type="date" max={todayIsoDay()} />
        <Button type="submit" busy={form.busy}>
          Record referral
        </Button>
      </form>
    </section>
  );
}

type EndorseValues = { modality: Modality; note: string };

function EndorseForm({ partnerId, name }: { partnerId: string; name: string }) {
  const form = useForm<EndorseValues>({ modality: 'swedish', note: '' });
  const endorse = useMutation({
    mutationFn: (body: CreateEndorsementBody) =>
      api.post(`/api/partners/${encodeURIComponent(partnerId)}/endorsements`, body, endorsementResponseSchema),
    meta: { invalidates: [queryKeys.users.endorsements(partnerId)] },
  });
  const submit = form.handleSubmit(
    z.preprocess((v) => v, createEndorsementBodySchema),
    async (body) => {
      await endorse.mutateAsync(body);
    },
  );
  return (
    <form className="card stack" noValidate onSubmit={submit} aria-label={`Endorse ${name}`}>
      <h2>Endorse {name}</h2>
      <p>Vouch for a skill you received from {name}. It shows on their profile with your name.</p>
      {form.formError && <Alert tone="error">{form.formError}</Alert>}
      <SelectField
        label="Skill"
        options={MODALITY_CHOICES}
        value={form.values.modality}
        error={form.fieldErrors.modality}
        onChange={(e) => form.setValue('modality', e.target.value as Modality)}
      />
      <TextField {...form.textField('note')} label="A word about it (optional)" maxLength={200} />
      <Button type="submit" busy={form.busy}>
        Endorse
      </Button>
      {endorse.isSuccess && <p role="status">Endorsement saved.</p>}
    </form>
  );
}
