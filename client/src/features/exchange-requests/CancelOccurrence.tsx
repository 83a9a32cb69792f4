import { useState } from 'react';
import { exchangeResponseSchema, type Exchange } from '@kneadback/shared/schemas/exchange';
import { Button } from '../../app/ui/Button.tsx';
import { api } from '../../lib/api.ts';
import { asSentence } from '../../lib/form-errors.ts';
import { CancelForm } from './RequestCard.tsx';
import { useRequestAction } from './useRequestActions.ts';

/** Cancels one booked exchange of a request (one week of a series), with a reason; shows the exchange as it is then. */
export function CancelOccurrence({
  exchange,
  requestId,
  onChange,
}: {
  exchange: Exchange;
  requestId: string;
  onChange: (exchange: Exchange) => void;
}) {
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
            {
              onSuccess: async () => {
                const { exchange: updated } = await api.get(
                  `/api/exchanges/${encodeURIComponent(exchange.id)}`,
                  exchangeResponseSchema,
                );
                onChange(updated);
              },
            },
          )
        }
      />
    </div>
  );
}
