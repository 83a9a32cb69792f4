import { NETWORK_ERROR_MESSAGE } from '../lib/api.ts';
import { Alert } from './ui/Alert.tsx';
import { Button } from './ui/Button.tsx';
import { Spinner } from './ui/Spinner.tsx';

/** With a `label` (what is loading) it is shown as well as announced; without one screen readers hear "Loading". */
export function PageLoading({ label }: { label?: string }) {
  return (
    <div className="page page--centered">
      {label ? (
        <p role="status" className="page-loading">
          <Spinner size="lg" />
          <span>{label}</span>
        </p>
      ) : (
        <Spinner size="lg" label="Loading" />
      )}
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

/** A page's code could not be fetched: offline, or a new version was deployed and the old files are gone. */
export function PageLoadFailed({ what }: { what: string }) {
  return (
    <div className="page page--narrow stack">
      <Alert tone="error" title={`Can't load ${what}`}>
        <p>Check your connection, then try again.</p>
      </Alert>
      <div>
        {/* A reload, not a second import(): it also picks up a newer version's file names */}
        <Button onClick={() => window.location.reload()}>Try again</Button>
      </div>
    </div>
  );
}
