import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { useAuth } from './AuthProvider.tsx';
import { returnStateFor } from './returnTo.ts';
import { PageLoading, Unreachable } from './StatusScreens.tsx';

/** Renders its children (or nested routes) for a signed-in user; anyone else goes to /login and comes back after. */
export function RequireAuth({ children }: { children?: ReactNode }) {
  const { status, user, signedOut, refresh } = useAuth();
  const location = useLocation();

  if (user) return children ?? <Outlet />;
  if (status === 'loading') return <PageLoading />;
  if (status === 'unreachable') return <Unreachable onRetry={refresh} />;
  return <Navigate to="/login" replace state={signedOut ? null : returnStateFor(location)} />;
}
