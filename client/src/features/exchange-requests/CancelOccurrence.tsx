import { useState } from 'react';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import { Button } from '../../app/ui/Button.tsx';
import { asSentence } from '../../lib/form-errors.ts';
import { CancelForm } from './RequestCard.tsx';
import { useRequestAction } from './useRequestActions.ts';

/** Cancels one booked exchange of a request (one week of a series), with a reason; the exchanges are refetched. */
export function CancelOccurrence({ exchange, requestId }: { exchange: Exchange; requestId: string }) {
  const [asking, setAsking] = useState(false);
  const action = useRequestAction(requestId);
  if (!asking) {
    return (
      <Button variant="ghost" onClick={() => setAsking(true)}>
        Cancel this exchange
      </Button>
    );
  }
  return (
    <div className="stack">
      {action.error && (
        <p role="alert" className="field__error">
          {asSentence(action.error.message)}
        </p>
      )}
      <CancelForm
        busy={action.isPending}
        series={false}
        onCancel={() => setAsking(false)}
        onSubmit={(reason) =>
          action.mutate(
            { kind: 'cancel', body: { reason, exchangeId: exchange.id } },
            { onSuccess: () => setAsking(false) },
          )
        }
      />
    </div>
  );
}
