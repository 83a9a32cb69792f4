import { usePageTitle } from '../../app/usePageTitle.ts';
import { DebriefWorkspace } from './DebriefWorkspace.tsx';
import { WithExchange } from './WithExchange.tsx';
import './debrief.css';

/** /debriefs/:exchangeId — the live, shared debrief of one exchange. */
export function DebriefPage() {
  usePageTitle('Debrief');
  return (
    <WithExchange>
      {/* Keyed, so moving to another debrief starts from a clean document and view */}
      {(exchange, me) => <DebriefWorkspace key={exchange.id} exchange={exchange} me={me} />}
    </WithExchange>
  );
}
