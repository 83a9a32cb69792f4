import { Link } from 'react-router-dom';
import { formatDay } from '@kneadback/shared/format/days';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import { MODALITY_LABELS } from '@kneadback/shared/vocabulary';
import { cx } from '../../app/ui/cx.ts';
import { debriefPath } from '../../lib/links.ts';
import { CancelOccurrence } from '../exchange-requests/CancelOccurrence.tsx';
import { formatStart } from '../exchange-requests/requestTime.ts';
import { CopyInviteLink } from './CopyInviteLink.tsx';
import { partnerOf } from './people.ts';

export function ExchangeCard({
  exchange,
  myId,
  highlight = false,
  past = false,
}: {
  exchange: Exchange;
  myId: string;
  highlight?: boolean;
  /** Past exchanges get a quieter button, so the next one stands out. */
  past?: boolean;
}) {
  const inviteToken = exchange.inviteToken;
  const partner = partnerOf(exchange, myId);
  const date = formatDay(exchange.date, 'long');
  const firstGiver = exchange.partnerA.id === myId ? 'You give' : `${exchange.partnerA.displayName} gives`;
  const modalities = partner?.modalities.map((m) => MODALITY_LABELS[m]).join(', ');

  return (
    <li className={cx('card card--compact exchange-card', highlight && 'exchange-card--new')}>
      <div className="exchange-card__main">
        <h3 className="exchange-card__date">
          <time dateTime={exchange.startsAt ?? exchange.date}>
            {exchange.startsAt ? formatStart(exchange.startsAt) : date}
          </time>
        </h3>
        {exchange.cancelledAt && (
          <p className="exchange-card__cancelled">
            Cancelled{exchange.cancelReason ? `: ${exchange.cancelReason}` : ''}
          </p>
        )}
        {partner ? (
          <p className="exchange-card__partner">
            <span className="exchange-card__name">
              With{' '}
              <Link className="touch-link" to={`/partners/${partner.id}`}>
                {partner.displayName}
              </Link>
            </span>
            {modalities && <span className="exchange-card__modalities">{modalities}</span>}
          </p>
        ) : (
          <p className="exchange-card__waiting">
            <span className="exchange-card__waiting-dot" aria-hidden="true" />
            {inviteToken || exchange.partnerA.id !== myId
              ? 'Waiting for your partner to join'
              : 'Invite link withdrawn'}
          </p>
        )}
        <p className="exchange-card__meta">
          Two {exchange.roundMinutes}-minute rounds · {firstGiver} first
        </p>
      </div>
      <div className="exchange-card__actions">
        {partner ? (
          <Link className={cx('button', past ? 'button--secondary' : 'button--primary')} to={debriefPath(exchange.id)}>
            Open debrief
            <span className="visually-hidden">
              {' '}
              with {partner.displayName}, {date}
            </span>
          </Link>
        ) : (
          inviteToken && <CopyInviteLink exchange={{ ...exchange, inviteToken }} />
        )}
        {exchange.requestId && !exchange.cancelledAt && !past && (
          <CancelOccurrence exchange={exchange} requestId={exchange.requestId} />
        )}
      </div>
    </li>
  );
}
