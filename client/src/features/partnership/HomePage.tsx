import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { rhythmSchema, rhythmSettingsSchema, type RhythmSettings } from '@kneadback/shared/schemas/partnership';
import { z } from 'zod';
import { useAuth } from '../../app/AuthProvider.tsx';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { Loading, LoadFailed } from '../../app/ui/QueryStatus.tsx';
import { TextField } from '../../app/ui/TextField.tsx';
import { api } from '../../lib/api.ts';
import { asSentence } from '../../lib/form-errors.ts';
import { apiQuery } from '../../lib/query.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import { CarriedForwardPanel } from '../debrief/CarriedForwardPanel.tsx';
import { debriefPeople } from '../debrief/people.ts';
import { formatDay } from '@kneadback/shared/format/days';
import { debriefPath } from '../../lib/links.ts';
import { partnerOf } from '../exchanges/people.ts';
import { formatStart } from '../exchange-requests/requestTime.ts';
import { EndorsementsList } from './EndorsementsList.tsx';
import { LedgerSummary } from './LedgerSummary.tsx';
import './partnership.css';

const rhythmResponse = z.object({ rhythm: rhythmSchema });

/** The home view: the next exchange, how long since the user received a massage, each partnership's balance. */
export function HomePage() {
  usePageTitle('Home');
  const { user } = useAuth();
  const query = useQuery(apiQuery(queryKeys.rhythm.all, '/api/rhythm', rhythmResponse));
  if (!user) return null;
  if (query.isPending) return <Loading what="your home view" />;
  if (query.isError) return <LoadFailed what="your home view" query={query} />;
  const { next, last, daysSinceReceived, due, reminderDays, ledgers } = query.data.rhythm;
  const me = { id: user.id, name: user.displayName };

  return (
    <div className="page stack home">
      <h1>Your rhythm</h1>
      {due ? (
        <Alert tone="info" title="Time for a massage">
          <p>
            {daysSinceReceived === null
              ? 'You have not received a massage through Kneadback yet.'
              : `You received a massage ${daysSinceReceived} days ago.`}{' '}
            Working full time, a massage about once a week keeps your own body well.
          </p>
          <Link className="touch-link" to="/exchanges/requests">
            Plan an exchange
          </Link>
        </Alert>
      ) : (
        <p className="home__since">
          You received a massage{' '}
          {daysSinceReceived === 0 ? 'today' : `${daysSinceReceived} day${daysSinceReceived === 1 ? '' : 's'} ago`}.
        </p>
      )}

      <section className="card stack" aria-label="Next exchange">
        <h2>Next exchange</h2>
        {next ? (
          <>
            <p className="home__next">
              {next.startsAt ? formatStart(next.startsAt) : formatDay(next.date, 'long')} with{' '}
              {partnerOf(next, user.id)?.displayName}
            </p>
            <Link className="button button--secondary" to={debriefPath(next.id)}>
              Open its debrief
            </Link>
            {last && <CarriedForwardPanel exchangeId={next.id} people={debriefPeople(next, me)} />}
          </>
        ) : (
          <p>
            Nothing booked.{' '}
            <Link className="touch-link" to="/exchanges/requests">
              Request an exchange
            </Link>
            .
          </p>
        )}
      </section>

      {ledgers.length > 0 && (
        <section className="stack" aria-label="Fairness with each partner">
          <h2>Give and take</h2>
          <ul className="plain-list home__ledgers">
            {ledgers.map((l) => (
              <li key={l.partner.id} className="card">
                <h3>
                  <Link className="touch-link" to={`/partners/${l.partner.id}`}>
                    {l.partner.displayName}
                  </Link>
                </h3>
                <LedgerSummary ledger={l} />
              </li>
            ))}
          </ul>
        </section>
      )}

      <EndorsementsList userId={user.id} title="Your endorsements" />
      <ReminderSetting days={reminderDays} />
    </div>
  );
}

function ReminderSetting({ days }: { days: number }) {
  const [value, setValue] = useState(String(days));
  const save = useMutation({
    mutationFn: (body: RhythmSettings) => api.put('/api/rhythm/settings', body),
    meta: { invalidates: [queryKeys.rhythm.all] },
  });
  const parsed = rhythmSettingsSchema.safeParse({ reminderDays: Number(value) });
  const error = !parsed.success
    ? asSentence(parsed.error.issues[0]?.message ?? 'enter a number of days')
    : save.error
      ? asSentence(save.error.message)
      : undefined;
  return (
    <form
      className="card stack home__reminder"
      onSubmit={(e) => {
        e.preventDefault();
        if (parsed.success) save.mutate(parsed.data);
      }}
    >
      <TextField
        label="Remind me after this many days without a massage"
        type="number"
        inputMode="numeric"
        min={1}
        max={90}
        value={value}
        error={error}
        onChange={(e) => setValue(e.target.value)}
      />
      <Button type="submit" variant="secondary" busy={save.isPending}>
        Save
      </Button>
      {save.isSuccess && <p role="status">Saved.</p>}
    </form>
  );
}
