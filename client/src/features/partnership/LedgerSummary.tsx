import type { Ledger } from '@kneadback/shared/schemas/partnership';

/** Given vs received minutes with one partner, and which way it leans. */
export function LedgerSummary({ ledger }: { ledger: Ledger }) {
  const balance = ledger.givenMinutes - ledger.receivedMinutes;
  const lean =
    balance === 0
      ? 'Even'
      : balance > 0
        ? `You gave ${balance} minutes more`
        : `${ledger.partner.displayName} gave ${-balance} minutes more`;
  return (
    <div className="ledger">
      <p className="ledger__figures">
        <span>
          Given <strong>{ledger.givenMinutes} min</strong>
        </span>
        <span>
          Received <strong>{ledger.receivedMinutes} min</strong>
        </span>
        <span>
          {ledger.exchanges} exchange{ledger.exchanges === 1 ? '' : 's'}
        </span>
      </p>
      <p className="ledger__lean">{lean}</p>
    </div>
  );
}
