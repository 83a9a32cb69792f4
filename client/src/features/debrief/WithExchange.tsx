import { useMemo, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import { useAuth } from '../../app/AuthProvider.tsx';
import { PageLoading } from '../../app/StatusScreens.tsx';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import type { Person } from './people.ts';
import { useExchange } from './useExchange.ts';
import './debrief.css';

interface WithExchangeProps {
  /** Rendered once the route's exchange is loaded and belongs to the signed-in person. */
  children: (exchange: Exchange, me: Person) => ReactNode;
}

/**
 * The exchange of a `/debriefs/:exchangeId…` route, or a page saying in words why it can't be
 * shown: loading, not found (or not one of yours), or an error to retry.
 */
export function WithExchange({ children }: WithExchangeProps) {
  const { exchangeId = '' } = useParams();
  const { user } = useAuth();
  const { state, retry } = useExchange(exchangeId);
  const me = useMemo(() => (user ? { id: user.id, name: user.displayName } : null), [user]);

  if (!me || state.status === 'loading') return <PageLoading />;
  if (state.status === 'not-found') {
    return (
      <div className="page page--narrow stack">
        <Alert tone="error" title="Debrief not found">
          <p>
            This exchange does not exist, or it is not one of yours. Only the two partners of an exchange can open its
            debrief.
          </p>
        </Alert>
        <p>
          <Link to="/exchanges">Back to your exchanges</Link>
        </p>
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="page page--narrow stack">
        <Alert tone="error" title="Can't open this debrief">
          <p>{state.message}</p>
        </Alert>
        <div className="debrief-error__actions">
          <Button onClick={retry}>Try again</Button>
          <Link to="/exchanges">Back to your exchanges</Link>
        </div>
      </div>
    );
  }
  return children(state.exchange, me);
}
