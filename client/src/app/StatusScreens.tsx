import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { NETWORK_ERROR_MESSAGE } from '../lib/api.ts';
import { Alert } from './ui/Alert.tsx';
import { Button } from './ui/Button.tsx';
import { LoadFailed, type QueryLike } from './ui/QueryStatus.tsx';
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

/** Where a page that cannot show its record sends the reader instead. */
interface BackLink {
  to: string;
  label: string;
}

/** The record a route names does not exist or is not the reader's; `children` say so in words. */
export function NotFoundPage({ title, back, children }: { title: string; back: BackLink; children: ReactNode }) {
  return (
    <div className="page page--narrow stack">
      <Alert tone="error" title={title}>
        {children}
      </Alert>
      <p>
        <Link className="touch-link" to={back.to}>
          {back.label}
        </Link>
      </p>
    </div>
  );
}

/** The record a route names could not be loaded: the reason, a retry and a way back. */
export function LoadFailedPage({ what, query, back }: { what: string; query: QueryLike; back: BackLink }) {
  return (
    <div className="page page--narrow">
      <LoadFailed what={what} query={query}>
        <Link className="touch-link" to={back.to}>
          {back.label}
        </Link>
      </LoadFailed>
    </div>
  );
}
