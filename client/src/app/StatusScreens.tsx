import { NETWORK_ERROR_MESSAGE } from '../lib/api.ts';
import { Alert } from './ui/Alert.tsx';
import { Button } from './ui/Button.tsx';
import { Spinner } from './ui/Spinner.tsx';

export function PageLoading() {
  return (
    <div className="page page--centered">
      <Spinner size="lg" label="Loading" />
    </div>
  );
}

export function Unreachable({ onRetry }: { onRetry: () => void }) {
  return (
    <div className="page page--narrow stack">
      <Alert tone="error" title="Can't load your account">
        <p>{NETWORK_ERROR_MESSAGE}</p>
      </Alert>
      <div>
        <Button onClick={onRetry}>Try again</Button>
      </div>
    </div>
  );
}
