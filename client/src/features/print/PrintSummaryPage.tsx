import { usePageTitle } from '../../app/usePageTitle.ts';
import { WithExchange } from '../debrief/WithExchange.tsx';
import { PrintSummary } from './PrintSummary.tsx';
import { usePrintBodyClass } from './usePrintBodyClass.ts';
import './print.css';

/** /debriefs/:exchangeId/print — the debrief laid out for paper (or the browser's Save as PDF). */
export function PrintSummaryPage() {
  usePageTitle('Debrief summary');
  usePrintBodyClass();
  return (
    <WithExchange>
      {/* Keyed, so moving to another debrief starts from a clean document */}
      {(exchange, me) => <PrintSummary key={exchange.id} exchange={exchange} me={me} />}
    </WithExchange>
  );
}
