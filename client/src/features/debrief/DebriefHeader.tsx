import { Link } from 'react-router-dom';
import { formatDay } from '@kneadback/shared/format/days';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import type { ConnectionInfo, PeerPresence } from '../../lib/collab/useDebriefDoc.ts';
import { debriefPrintPath } from '../../lib/links.ts';
import { ConnectionBadge } from './ConnectionBadge.tsx';
import type { DebriefPeople } from './people.ts';
import { PresenceAvatars } from './PresenceAvatars.tsx';

interface DebriefHeaderProps {
  exchange: Exchange;
  people: DebriefPeople;
  myColor: string;
  connection: ConnectionInfo;
  peers: readonly PeerPresence[];
}

export function DebriefHeader({ exchange, people, myColor, connection, peers }: DebriefHeaderProps) {
  const partnerName = people.partner?.name ?? 'your invited partner';
  return (
    <header className="spread-row debrief-header">
      <div className="debrief-header__title">
        <h1>Debrief with {partnerName}</h1>
        <p className="debrief-header__meta">
          <time dateTime={exchange.date}>{formatDay(exchange.date, 'long')}</time> · {exchange.partnerA.displayName}{' '}
          &amp; {exchange.partnerB?.displayName ?? 'invited partner'}
        </p>
      </div>
      <div className="debrief-header__status">
        <Link className="button button--secondary debrief-header__print" to={debriefPrintPath(exchange.id)}>
          <span>Print summary</span>
        </Link>
        <ConnectionBadge connection={connection} />
        <PresenceAvatars me={{ ...people.me, color: myColor }} peers={peers} live={connection.state === 'live'} />
      </div>
    </header>
  );
}
