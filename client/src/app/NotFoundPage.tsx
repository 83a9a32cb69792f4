import { Link } from 'react-router-dom';
import { HOME_PATH } from './returnTo.ts';
import { usePageTitle } from './usePageTitle.ts';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <div className="page page--narrow">
      <h1>Page not found</h1>
      <p className="lead">This address doesn't match anything in Kneadback.</p>
      <Link className="touch-link" to={HOME_PATH}>
        Go to your exchanges
      </Link>
    </div>
  );
}
