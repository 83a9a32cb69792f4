import type { ReactNode } from 'react';
import { Navigate } from 'react-router-dom';
import { useAuth } from './AuthProvider.tsx';
import { useReturnTo } from './returnTo.ts';
import { PageLoading } from './StatusScreens.tsx';

/** Sign-in screens: once a user is signed in (now or from an earlier visit) they go where they were heading. */
export function GuestOnly({ children }: { children: ReactNode }) {
  const { status, user } = useAuth();
  const returnTo = useReturnTo();
  if (user) return <Navigate to={returnTo} replace />;
  if (status === 'loading') return <PageLoading />;
  return children;
}
