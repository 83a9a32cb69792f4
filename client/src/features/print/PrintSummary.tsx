import { useEffect, useMemo, useState } from 'react';
import { flushSync } from 'react-dom';
import { Link } from 'react-router-dom';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { formatDay } from '@kneadback/shared/format/days';
import { BODY_VIEWS } from '@kneadback/shared/body/index';
import { ROUNDS, type Annotation, type Round, type ThreadEntry } from '@kneadback/shared/schemas/annotation';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import { useAuth } from '../../app/AuthProvider.tsx';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { Spinner } from '../../app/ui/Spinner.tsx';
import { useDebriefDoc, type ConnectionInfo } from '../../lib/collab/useDebriefDoc.ts';
import { debriefPath } from '../../lib/links.ts';
import { MARK_CATEGORIES, MARK_STYLES, MarkIcon } from '../debrief/body-map/index.ts';
import { PrintBodyView } from './PrintBodyView.tsx';
import { PrintMarkEntry } from './PrintMarkEntry.tsx';
import { formatPrintMoment, numberMarks, printPeople, roundHeading, type PrintPeople } from './printText.ts';

interface PrintSummaryProps {
  exchange: Exchange;
  me: { id: string; name: string };
}

/** Nothing here changes the document; errors from it would only come from actions this page never calls. */
const logError = (message: string) => console.error(message);

/**
 * The summary of one debrief, read live from the shared document. Shown only once this device is in step with the
 * server, so a printout never misses marks that simply had not arrived yet.
 */
export function PrintSummary({ exchange, me }: PrintSummaryProps) {
  const people = useMemo(() => printPeople(exchange), [exchange]);
  const debrief = useDebriefDoc(exchange.id, me, logError);
  const ready = useReadyOnce(debrief.synced && debrief.loaded);
  const printedAt = usePrintedAt();
  const { connection } = debrief;

  const actions = (
    <div className="print-actions print-screen-only">
      <Link to={debriefPath(exchange.id)} className="print-actions__back">
        Back to debrief
      </Link>
      <Button onClick={() => window.print()} disabled={!ready || connection.state === 'refused'}>
        Print / Save as PDF
      </Button>
    </div>
  );

  if (connection.state === 'refused') {
    return (
      <div className="page page--narrow stack">
        <RefusedMessage connection={connection} onRetry={debrief.reconnect} />
      </div>
    );
  }

  if (!ready) {
    return (
      <div className="page print-page">
        {actions}
        <div className="print-loading" role="status">
          <Spinner size="lg" />
          <p>Loading the debrief…</p>
          {connection.state === 'offline' && (
            <p className="print-loading__note">
              Waiting for a connection: the summary appears once this device has the latest marks from the server.
            </p>
          )}
        </div>
      </div>
    );
  }

  return (
    <div className="page print-page">
      {actions}
      <article className="print-sheet" aria-labelledby="print-title">
        <header className="print-header">
          <p className="print-header__brand">Kneadback</p>
          <h1 id="print-title">Debrief summary</h1>
          <dl className="print-header__facts">
            <div>
              <dt>Exchange</dt>
              <dd>{formatDay(exchange.date, 'long')}</dd>
            </div>
            <div>
              <dt>Partners</dt>
              <dd>{people.both}</dd>
            </div>
            <div>
              <dt>Rounds</dt>
              <dd>{exchange.roundMinutes} minutes each</dd>
            </div>
            <div>
              <dt>Printed</dt>
              <dd>
                <time dateTime={new Date(printedAt).toISOString()}>{formatPrintMoment(printedAt)}</time>
              </dd>
            </div>
          </dl>
          <p className="print-header__confidential">
            <strong>Confidential:</strong> shared only between the two partners.
          </p>
          {connection.state !== 'live' && (
            <p className="print-header__stale print-screen-only" role="status">
              The connection dropped: this shows the debrief as it was when last in step with the server.
            </p>
          )}
        </header>
        {ROUNDS.map((round) => (
          <PrintRound
            key={round}
            round={round}
            people={people}
            annotations={debrief.annotations}
            threadFor={debrief.threadFor}
          />
        ))}
      </article>
    </div>
  );
}

function PrintRound({
  round,
  people,
  annotations,
  threadFor,
}: {
  round: Round;
  people: PrintPeople;
  annotations: readonly Annotation[];
  threadFor: (annotationId: string) => ThreadEntry[];
}) {
  const marks = useMemo(() => numberMarks(annotations, round), [annotations, round]);
  const headingId = `print-round-${round}`;
  const receiver = people.receiver(round);
  const open = marks.filter(({ mark }) => mark.status === 'open').length;
  const summary =
    marks.length === 0
      ? 'No marks in this round.'
      : `${marks.length} ${marks.length === 1 ? 'mark' : 'marks'}: ${open} open, ${marks.length - open} resolved.`;

  return (
    <section className="print-round" aria-labelledby={headingId}>
      <h2 id={headingId} className="print-round__heading">
        {roundHeading(people, round)}
      </h2>
      <p className="print-round__sub">
        The map shows {receiver}’s body (the receiver). {summary}
      </p>
      <h3 className="visually-hidden">Body map</h3>
      <div className="print-round__views">
        {BODY_VIEWS.map((view) => (
          <PrintBodyView key={view} view={view} marks={marks} bodyName={`${receiver}’s body`} />
        ))}
      </div>
      <PrintLegend />
      {marks.length > 0 && (
        <>
          <h3 className="print-round__marks-heading">Marks</h3>
          <ol className="print-marks">
            {marks.map(({ mark, n }) => (
              <PrintMarkEntry key={mark.id} mark={mark} n={n} entries={threadFor(mark.id)} people={people} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function PrintLegend() {
  return (
    <ul className="print-legend" aria-label="Key">
      {MARK_CATEGORIES.map((category) => (
        <li key={category}>
          <MarkIcon category={category} size={16} />
          {MARK_STYLES[category].label}
        </li>
      ))}
      <li>
        <MarkIcon category="pressure" resolved size={16} />
        Outline: resolved
      </li>
      <li>
        <MarkIcon category="pressure" value={7} size={16} />
        Pressure felt, 1–10
      </li>
    </ul>
  );
}

function RefusedMessage({ connection, onRetry }: { connection: ConnectionInfo; onRetry: () => void }) {
  const { refresh } = useAuth();
  const signedOut = connection.closeCode === CollabCloseCode.unauthenticated;
  return (
    <>
      <Alert tone="error" title={signedOut ? 'Signed out' : 'Debrief not found'}>
        <p>
          {connection.message ??
            'This exchange does not exist, or it is not one of yours. Only the two partners of an exchange can open its debrief.'}
        </p>
      </Alert>
      <div className="print-actions">
        {signedOut && (
          // Re-checking the session sends a signed-out person to sign-in; if it turns out fine, connect again.
          <Button variant="secondary" onClick={() => void refresh().then(onRetry)}>
            Sign in again
          </Button>
        )}
        <Link className="touch-link" to="/exchanges">
          Back to your exchanges
        </Link>
      </div>
    </>
  );
}

/**
 * True from one frame after `now` first holds, and from then on: the content re-reads network changes on the next
 * animation frame, so the first synced render could still lack them; a later drop keeps the last good view.
 */
function useReadyOnce(now: boolean): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!now || ready) return;
    let second = 0;
    const first = requestAnimationFrame(() => {
      second = requestAnimationFrame(() => setReady(true));
    });
    return () => {
      cancelAnimationFrame(first);
      cancelAnimationFrame(second);
    };
  }, [now, ready]);
  return ready;
}

/** When the page was printed: refreshed as the print dialog opens, so a tab left open for days prints today's time. */
function usePrintedAt(): number {
  const [printedAt, setPrintedAt] = useState(() => Date.now());
  useEffect(() => {
    const update = () => flushSync(() => setPrintedAt(Date.now()));
    window.addEventListener('beforeprint', update);
    return () => window.removeEventListener('beforeprint', update);
  }, []);
  return printedAt;
}
