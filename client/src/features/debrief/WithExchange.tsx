import { useMemo, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import { useAuth } from '../../app/AuthProvider.tsx';
import { PageLoading } from '../../app/StatusScreens.tsx';
import { Alert } from '../../app/ui/Alert.tsx';
import { LoadFailed } from '../../app/ui/QueryStatus.tsx';
import { useExchange } from '../exchanges/exchangeQueries.ts';
import type { Person } from './people.ts';
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
  const query = useExchange(exchangeId);
  const me = useMemo(() => (user ? { id: user.id, name: user.displayName } : null), [user]);

  // Once shown, a debrief stays up when a later refetch fails: its contents come over Yjs, which works offline
  if (me && query.data) return children(query.data, me);
  if (!me || query.isPending) return <PageLoading />;
  // The server answers 404 for "not yours" too, so strangers learn nothing about the exchange
  if (query.error?.status === 404 || query.error?.status === 400) {
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
  return (
    <div className="page page--narrow">
      <LoadFailed what="this debrief" query={query}>
        <Link to="/exchanges">Back to your exchanges</Link>
      </LoadFailed>
    </div>
  );
}
