import { Link } from 'react-router-dom';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { useAuth } from '../../app/AuthProvider.tsx';
import { Button } from '../../app/ui/Button.tsx';
import type { ConnectionInfo } from '../../lib/collab/useDebriefDoc.ts';

/**
 * The server will not let this device into the debrief; retrying cannot help, so offer what can.
 * Not a live region: the connection badge already announces the reason.
 */
export function RefusedNotice({ connection, onRetry }: { connection: ConnectionInfo; onRetry: () => void }) {
  const { refresh } = useAuth();
  const signedOut = connection.closeCode === CollabCloseCode.unauthenticated;
  return (
    <div className="alert alert--error spread-row refused-notice">
      <p className="alert__title">Changes here no longer reach your partner</p>
      {signedOut ? (
        // Re-checking the session sends a signed-out person to sign-in (with the way back here);
        // if the session turns out fine after all, connect again.
        <Button variant="secondary" onClick={() => void refresh().then(onRetry)}>
          Sign in again
        </Button>
      ) : (
        <p>
          <Link className="touch-link" to="/exchanges">
            Back to your exchanges
          </Link>
        </p>
      )}
    </div>
  );
}
