import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import type { ExchangePlace, ExchangeRequest } from '@kneadback/shared/schemas/exchange-request';
import { Button } from '../../app/ui/Button.tsx';
import { TextField } from '../../app/ui/TextField.tsx';
import { cx } from '../../app/ui/cx.ts';
import { asSentence } from '../../lib/form-errors.ts';
import { isOpen, modalityList, otherName, placeText, statusText } from './labels.ts';
import { PlaceFields } from './PlaceFields.tsx';
import { formatStart, localInputValue, withLocalOffset } from './requestTime.ts';
import { useRequestAction } from './useRequestActions.ts';

type Panel = 'none' | 'counter' | 'cancel';

/** One request with what the viewer may do now: accept, decline, propose another time, cancel. */
export function RequestCard({ request, highlight }: { request: ExchangeRequest; highlight: boolean }) {
  const action = useRequestAction(request.id);
  const [panel, setPanel] = useState<Panel>('none');
  const open = isOpen(request);
  const cancellable = open || request.status === 'accepted';
  const who = otherName(request);
  const error = action.error ? asSentence(action.error.message) : null;

  return (
    <li id={`request-${request.id}`} className={cx('card request-card', highlight && 'request-card--highlight')}>
      <div className="spread-row">
        <h3 className="request-card__title">
          {request.role === 'sent' ? `To ${who}` : `From ${who}`}
          {request.other.kind === 'user' && (
            <Link className="request-card__partner-link touch-link" to={`/partners/${request.other.id}`}>
              Ledger and referrals<span className="visually-hidden"> with {who}</span>
            </Link>
          )}
        </h3>
        <span className={cx('request-card__status', `request-card__status--${request.status}`)}>
          {statusText(request)}
        </span>
      </div>
      <p className="request-card__when">
        <time dateTime={request.startsAt}>{formatStart(request.startsAt)}</time>
        {request.repeat &&
          ` · every ${request.repeat.everyWeeks === 1 ? 'week' : `${request.repeat.everyWeeks} weeks`}, ${request.repeat.occurrences} times`}
      </p>
      {request.originalStartsAt && (
        <p className="request-card__meta">First asked for {formatStart(request.originalStartsAt)}</p>
      )}
      <p className="request-card__meta">
        {placeText(request)} · {request.roundMinutes}-minute rounds
      </p>
      <p className="request-card__meta">
        You give: {modalityList(request.iGive)} · You receive: {modalityList(request.theyGive)}
      </p>
      {request.message && <blockquote className="request-card__message">{request.message}</blockquote>}
      {request.cancelReason && (
        <p className="request-card__meta">
          Cancelled by {request.cancelledByMe ? 'you' : who}: {request.cancelReason}
        </p>
      )}
      {error && (
        <p role="alert" className="field__error">
          {error}
        </p>
      )}
      {panel === 'none' && (
        <div className="request-card__actions">
          {open && request.myTurn && (
            <>
              <Button busy={action.isPending} onClick={() => action.mutate({ kind: 'accept' })}>
                Accept
              </Button>
              <Button variant="secondary" onClick={() => setPanel('counter')}>
                Propose another time
              </Button>
              <Button variant="ghost" busy={action.isPending} onClick={() => action.mutate({ kind: 'decline' })}>
                Decline
              </Button>
            </>
          )}
          {cancellable && (
            <Button variant="ghost" onClick={() => setPanel('cancel')}>
              {request.status === 'accepted' ? 'Cancel exchange' : 'Cancel request'}
            </Button>
          )}
        </div>
      )}
      {panel === 'counter' && (
        <CounterForm
          busy={action.isPending}
          onCancel={() => setPanel('none')}
          onSubmit={(startsAt, place, placeNote) =>
            action.mutate(
              { kind: 'counter', body: { startsAt, place, placeNote } },
              { onSuccess: () => setPanel('none') },
            )
          }
        />
      )}
      {panel === 'cancel' && (
        <CancelForm
          busy={action.isPending}
          series={request.status === 'accepted' && request.exchangeIds.length > 1}
          onCancel={() => setPanel('none')}
          onSubmit={(reason) =>
            action.mutate({ kind: 'cancel', body: { reason } }, { onSuccess: () => setPanel('none') })
          }
        />
      )}
    </li>
  );
}

function CounterForm({
  busy,
  onSubmit,
  onCancel,
}: {
  busy: boolean;
  onSubmit: (startsAt: string, place: ExchangePlace, placeNote: string) => void;
  onCancel: () => void;
}) {
  const [startsAt, setStartsAt] = useState(localInputValue(4, 10));
  const [place, setPlace] = useState<ExchangePlace>('mine');
  const [placeNote, setPlaceNote] = useState('');
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit(withLocalOffset(startsAt), place, placeNote);
  }
  return (
    <form className="stack request-card__form" onSubmit={submit}>
      <TextField
        label="Another time"
        type="datetime-local"
        value={startsAt}
        onChange={(e) => setStartsAt(e.target.value)}
      />
      <PlaceFields place={place} placeNote={placeNote} errors={{}} onPlace={setPlace} onPlaceNote={setPlaceNote} />
      <FormActions submit="Send this time" busy={busy} onBack={onCancel} />
    </form>
  );
}

/** Asks for the reason a cancellation needs (the partner sees it). */
export function CancelForm({
  busy,
  series,
  onSubmit,
  onCancel,
}: {
  busy: boolean;
  series: boolean;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit(reason);
  }
  return (
    <form className="stack request-card__form" onSubmit={submit}>
      <TextField
        label="Reason"
        hint={
          series
            ? 'Cancels every upcoming exchange of this series; to skip one, cancel it from Exchanges.'
            : 'Your partner sees it.'
        }
        value={reason}
        maxLength={300}
        onChange={(e) => setReason(e.target.value)}
      />
      <FormActions submit="Cancel it" danger busy={busy} onBack={onCancel} />
    </form>
  );
}

function FormActions({
  submit,
  danger = false,
  busy,
  onBack,
}: {
  submit: string;
  danger?: boolean;
  busy: boolean;
  onBack: () => void;
}) {
  return (
    <div className="request-card__actions">
      <Button type="submit" variant={danger ? 'danger' : 'primary'} busy={busy}>
        {submit}
      </Button>
      <Button variant="ghost" onClick={onBack}>
        Back
      </Button>
    </div>
  );
}
