import { useLocation, type Location } from 'react-router-dom';

export const HOME_PATH = '/exchanges';

/** What RequireAuth leaves in history state so sign-in can come back to the page the user wanted. */
export interface ReturnState {
  from?: Pick<Location, 'pathname' | 'search' | 'hash'>;
}

export function returnStateFor(location: Location): ReturnState {
  return { from: { pathname: location.pathname, search: location.search, hash: location.hash } };
}

/** The remembered page, or the home screen; never back to the sign-in screens themselves. */
export function useReturnTo(): string {
  const from = (useLocation().state as ReturnState | null)?.from;
  if (!from?.pathname.startsWith('/') || from.pathname.startsWith('//')) return HOME_PATH;
  if (from.pathname === '/login' || from.pathname === '/signup') return HOME_PATH;
  return `${from.pathname}${from.search}${from.hash}`;
}
