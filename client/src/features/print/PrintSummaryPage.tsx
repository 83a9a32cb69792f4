import { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../app/AuthProvider.tsx';
import { PageLoading } from '../../app/StatusScreens.tsx';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { useExchange } from '../debrief/useExchange.ts';
import { PrintSummary } from './PrintSummary.tsx';
import { usePrintBodyClass } from './usePrintBodyClass.ts';
import './print.css';

/** /debriefs/:exchangeId/print — the debrief laid out for paper (or the browser's Save as PDF). */
export function PrintSummaryPage() {
  usePageTitle('Debrief summary');
  usePrintBodyClass();
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
        <div className="print-actions">
          <Button onClick={retry}>Try again</Button>
          <Link to="/exchanges">Back to your exchanges</Link>
        </div>
      </div>
    );
  }
  // Keyed, so moving to another debrief starts from a clean document
  return <PrintSummary key={state.exchange.id} exchange={state.exchange} me={me} />;
}
