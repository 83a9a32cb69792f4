import { useMemo, type ReactNode } from 'react';
import { useParams } from 'react-router-dom';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import { useAuth } from '../../app/AuthProvider.tsx';
import { LoadFailedPage, NotFoundPage, PageLoading } from '../../app/StatusScreens.tsx';
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
  const back = { to: '/exchanges', label: 'Back to your exchanges' };
  // The server answers 404 for "not yours" too, so strangers learn nothing about the exchange
  if (query.error?.status === 404 || query.error?.status === 400) {
    return (
      <NotFoundPage title="Debrief not found" back={back}>
        <p>
          This exchange does not exist, or it is not one of yours. Only the two partners of an exchange can open its
          debrief.
        </p>
      </NotFoundPage>
    );
  }
  return <LoadFailedPage what="this debrief" query={query} back={back} />;
}
