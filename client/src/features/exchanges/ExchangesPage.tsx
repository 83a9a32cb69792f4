import { useRef, useState, type Ref } from 'react';
import { Link } from 'react-router-dom';
import { formatDay } from '@kneadback/shared/format/days';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import { useAuth } from '../../app/AuthProvider.tsx';
import { debriefPath } from '../../lib/links.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { LoadFailed, Loading } from '../../app/ui/QueryStatus.tsx';
import { CopyInviteLink } from './CopyInviteLink.tsx';
import { ExchangeCard } from './ExchangeCard.tsx';
import { todayIsoDay } from './dates.ts';
import { NewExchangeForm } from './NewExchangeForm.tsx';
import { partnerOf } from './people.ts';
import { useExchanges } from './exchangeQueries.ts';
import './exchanges.css';

const WHAT_IS_AN_EXCHANGE =
  'An exchange is a session where you and another therapist massage each other, one round each, then debrief what you felt.';

export function ExchangesPage() {
  usePageTitle('Exchanges');
  const { user } = useAuth();
  const query = useExchanges();
  const exchanges = query.data ?? null;
  const [formOpen, setFormOpen] = useState(false);
  /** The exchange just created, for the notice above the list; as the list has it, so a withdrawn link shows. */
  const [createdId, setCreatedId] = useState<string | null>(null);
  const created = exchanges?.find((e) => e.id === createdId) ?? null;
  const newButton = useRef<HTMLButtonElement>(null);
  const notice = useRef<HTMLDivElement>(null);
  const formHeading = useRef<HTMLHeadingElement>(null);

  if (!user) return null;
  const isEmpty = exchanges !== null && exchanges.length === 0;
  const showForm = formOpen || isEmpty;

  function handleCreated(exchange: Exchange) {
    setCreatedId(exchange.id);
    setFormOpen(false);
    // The form is gone; put keyboard and screen-reader users on what happened instead
    requestAnimationFrame(() => notice.current?.focus());
  }

  // The button that was pressed disappears; focus goes where the user is heading instead of back to the page top
  function openForm() {
    setFormOpen(true);
    requestAnimationFrame(() => formHeading.current?.focus());
  }

  function dismissNotice() {
    setCreatedId(null);
    requestAnimationFrame(() => newButton.current?.focus());
  }

  function closeForm() {
    setFormOpen(false);
    requestAnimationFrame(() => newButton.current?.focus());
  }

  const today = todayIsoDay();
  const upcoming = (exchanges ?? []).filter((e) => e.date >= today).sort((a, b) => a.date.localeCompare(b.date));
  const earlier = (exchanges ?? []).filter((e) => e.date < today);

  return (
    <div className="page exchanges">
      <div className="spread-row spread-row--heading exchanges__head">
        <div>
          <h1>Your exchanges</h1>
          {!isEmpty && <p className="lead exchanges__lead">{WHAT_IS_AN_EXCHANGE}</p>}
        </div>
        {!showForm && (
          <Button ref={newButton} onClick={openForm}>
            <span aria-hidden="true">+ </span>New exchange
          </Button>
        )}
      </div>

      {created && <CreatedNotice ref={notice} exchange={created} myId={user.id} onDismiss={dismissNotice} />}

      {showForm && (
        <section id="new-exchange" className="card exchanges__form" aria-labelledby="new-exchange-title">
          <h2 id="new-exchange-title" ref={formHeading} tabIndex={-1}>
            {isEmpty ? 'Plan your first exchange' : 'New exchange'}
          </h2>
          {isEmpty && <p className="lead">{WHAT_IS_AN_EXCHANGE}</p>}
          <NewExchangeForm onCreated={handleCreated} onCancel={isEmpty ? undefined : closeForm} />
        </section>
      )}

      {query.isPending && <Loading what="your exchanges" />}
      {query.isError && <LoadFailed what="your exchanges" query={query} />}

      {upcoming.length > 0 && (
        <ExchangeSection title="Coming up" exchanges={upcoming} myId={user.id} highlightId={created?.id} />
      )}
      {earlier.length > 0 && (
        <ExchangeSection title="Earlier" exchanges={earlier} myId={user.id} highlightId={created?.id} past />
      )}
    </div>
  );
}

function ExchangeSection({
  title,
  exchanges,
  myId,
  highlightId,
  past = false,
}: {
  title: string;
  exchanges: Exchange[];
  myId: string;
  highlightId: string | undefined;
  past?: boolean;
}) {
  return (
    <section className="exchanges__section" aria-label={title}>
      <h2 className="exchanges__section-title">{title}</h2>
      <ul className="plain-list exchanges__list">
        {exchanges.map((exchange) => (
          <ExchangeCard
            key={exchange.id}
            exchange={exchange}
            myId={myId}
            highlight={exchange.id === highlightId}
            past={past}
          />
        ))}
      </ul>
    </section>
  );
}

function CreatedNotice({
  ref,
  exchange,
  myId,
  onDismiss,
}: {
  ref: Ref<HTMLDivElement>;
  exchange: Exchange;
  myId: string;
  onDismiss: () => void;
}) {
  const partner = partnerOf(exchange, myId);
  const inviteToken = exchange.inviteToken;
  const date = formatDay(exchange.date, 'long');
  return (
    <div ref={ref} tabIndex={-1} className="exchanges__notice">
      <Alert tone="success" title={partner ? `Exchange with ${partner.displayName} added` : 'Invite link ready'}>
        {partner ? (
          <p>
            {date}. {partner.displayName} has been notified.{' '}
            <Link className="touch-link" to={debriefPath(exchange.id)}>
              Open the debrief
            </Link>
          </p>
        ) : (
          <>
            <p>
              {inviteToken
                ? `Send this link to your partner. Whoever opens it first joins your exchange on ${date}.`
                : 'You withdrew this invite link; nobody can join with it.'}
            </p>
            {inviteToken && <CopyInviteLink exchange={{ ...exchange, inviteToken }} showLink />}
          </>
        )}
        <Button variant="ghost" className="exchanges__notice-close" onClick={onDismiss}>
          Dismiss
        </Button>
      </Alert>
    </div>
  );
}
