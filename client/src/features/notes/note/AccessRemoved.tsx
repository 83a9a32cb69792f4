import { Link } from 'react-router-dom';
import { Alert } from '../../../app/ui/Alert.tsx';

/** All that is left on screen once the owner takes your access away: nothing of the note itself. */
export function AccessRemoved() {
  return (
    <div className="page page--narrow stack">
      <Alert tone="warning" title="Your access to this note was removed">
        <p>
          The note's owner stopped sharing it with you, so it is no longer shown here and its copy on this device was
          deleted.
        </p>
      </Alert>
      <p>
        <Link className="touch-link" to="/notes">
          Back to your notes
        </Link>
      </p>
    </div>
  );
}
