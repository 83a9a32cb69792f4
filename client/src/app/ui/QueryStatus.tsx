import type { ReactNode } from 'react';
import type { ApiRequestError } from '../../lib/api.ts';
import { asSentence } from '../../lib/form-errors.ts';
import { Alert } from './Alert.tsx';
import { Button } from './Button.tsx';
import { Spinner } from './Spinner.tsx';

// How data from the server looks while it loads and when it fails, the same on every screen. Pass a TanStack
// Query result (useQuery's return value); `what` completes "Loading …" and "Can't load …": "your exchanges".

export interface QueryLike {
  error: ApiRequestError | null;
  isFetching: boolean;
  refetch: () => unknown;
}

/** A spinner that says what it waits for. */
export function Loading({ what }: { what: string }) {
  return (
    <div className="query-status">
      <Spinner size="lg" label={`Loading ${what}`} />
    </div>
  );
}

/**
 * Why it failed, in the server's words (or ours when the server was not reached), and a button to try again that
 * shows it is working. `children` adds a way out, e.g. a link back.
 */
export function LoadFailed({ what, query, children }: { what: string; query: QueryLike; children?: ReactNode }) {
  return (
    <Alert tone="error" title={`Can't load ${what}`}>
      <p>{asSentence(query.error?.message ?? '')}</p>
      <div className="query-status__actions">
        <Button variant="secondary" busy={query.isFetching} onClick={() => void query.refetch()}>
          Try again
        </Button>
        {children}
      </div>
    </Alert>
  );
}
