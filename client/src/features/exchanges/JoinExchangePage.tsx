import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { exchangeResponseSchema, type Exchange } from '@kneadback/shared/schemas/exchange';
import { HOME_PATH } from '../../app/returnTo.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { api, ApiRequestError } from '../../lib/api.ts';
import { asSentence } from '../../lib/form-errors.ts';
import { debriefPath } from '../../lib/links.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import { keep } from './exchangeQueries.ts';

/**
 * An invite token works once, so a second request (StrictMode's double effect, a quick re-render) must share the
 * first one instead of failing with "already used".
 */
const joins = new Map<string, Promise<Exchange>>();

function joinOnce(inviteToken: string): Promise<Exchange> {
  let pending = joins.get(inviteToken);
  if (!pending) {
    pending = api.post('/api/exchanges/join', { inviteToken }, exchangeResponseSchema).then(({ exchange }) => exchange);
    joins.set(inviteToken, pending);
    // Forget it once settled, so "Try again" after a network error really tries again
    pending.then(
      () => setTimeout(() => joins.delete(inviteToken), 1_000),
      () => joins.delete(inviteToken),
    );
  }
  return pending;
}

/**
 * /join/:token — RequireAuth has already sent a signed-out visitor to sign in and back. Opening the link joins
 * nothing: the invitee says yes first (their consent to become the inviter's partner of this exchange).
 */
export function JoinExchangePage() {
  usePageTitle('Join an exchange');
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [state, setState] = useState<'asking' | 'joining'>('asking');
  const [error, setError] = useState<string | null>(null);

  function join() {
    setState('joining');
    joinOnce(token).then(
      (exchange) => {
        // The debrief opens with the exchange at hand; the list shows it when next opened
        keep(client, exchange);
        void client.invalidateQueries({ queryKey: queryKeys.exchanges.list() });
        navigate(debriefPath(exchange.id), { replace: true });
      },
      (err: unknown) =>
        setError(
          err instanceof ApiRequestError && err.code !== 'invalid_input'
            ? asSentence(err.message)
            : 'This invite link is not valid. Check that you copied all of it.',
        ),
    );
  }

  return (
    <div className="page page--narrow stack">
      <h1>Join an exchange</h1>
      {error ? (
        <>
          <Alert tone="error" title="Could not join this exchange">
            <p>{error}</p>
          </Alert>
          <p>
            Ask your partner for a new link, or{' '}
            <Link className="touch-link" to={HOME_PATH}>
              go to your exchanges
            </Link>
            .
          </p>
        </>
      ) : (
        <>
          <p className="lead">
            A therapist invited you to an exchange: you massage each other, one round each, then debrief together.
            Joining makes you their partner for this exchange and opens its debrief to both of you.
          </p>
          <div className="spread-row">
            <Button busy={state === 'joining'} onClick={join}>
              Join this exchange
            </Button>
            <Link className="touch-link" to={HOME_PATH}>
              Not now
            </Link>
          </div>
        </>
      )}
    </div>
  );
}
