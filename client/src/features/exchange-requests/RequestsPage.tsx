import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { exchangeRequestListResponseSchema, type ExchangeRequest } from '@kneadback/shared/schemas/exchange-request';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { Loading, LoadFailed } from '../../app/ui/QueryStatus.tsx';
import { apiQuery } from '../../lib/query.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import { isOpen } from './labels.ts';
import { RequestCard } from './RequestCard.tsx';
import './exchange-requests.css';

/**
 * Requests received and sent: the ones waiting for the user first. Live: a request notification marks this list
 * stale (notificationInvalidations.ts), so a partner's answer shows at once.
 */
export function RequestsPage() {
  usePageTitle('Exchange requests');
  const query = useQuery(
    apiQuery(queryKeys.exchangeRequests.list(), '/api/exchange-requests', exchangeRequestListResponseSchema),
  );
  const { hash } = useLocation();
  const highlighted = hash.startsWith('#request-') ? hash.slice('#request-'.length) : null;

  useEffect(() => {
    if (highlighted && query.data)
      document.getElementById(`request-${highlighted}`)?.scrollIntoView({ block: 'center' });
  }, [highlighted, query.data]);

  const requests = query.data?.requests ?? [];
  const sections: [string, ExchangeRequest[]][] = [
    ['Waiting for your answer', requests.filter((r) => isOpen(r) && r.myTurn)],
    ['Waiting for your partner', requests.filter((r) => isOpen(r) && !r.myTurn)],
    ['Accepted', requests.filter((r) => r.status === 'accepted')],
    ['Declined or cancelled', requests.filter((r) => r.status !== 'accepted' && !isOpen(r))],
  ];

  return (
    <div className="page stack requests">
      <div className="spread-row spread-row--heading">
        <h1>Exchange requests</h1>
        <Link className="button button--primary" to="/exchanges/request">
          Request by email
        </Link>
      </div>
      {query.isPending && <Loading what="your requests" />}
      {query.isError && <LoadFailed what="your requests" query={query} />}
      {query.isSuccess && requests.length === 0 && (
        <p className="lead">No requests yet. Request an exchange from a therapist's profile, or by email.</p>
      )}
      {sections.map(
        ([title, list]) =>
          list.length > 0 && (
            <section key={title} aria-label={title} className="requests__section">
              <h2>{title}</h2>
              <ul className="plain-list">
                {list.map((r) => (
                  <RequestCard key={r.id} request={r} highlight={r.id === highlighted} />
                ))}
              </ul>
            </section>
          ),
      )}
    </div>
  );
}
