import type { ReactNode } from 'react';
import { useAuth } from './AuthProvider.tsx';
import { lazyPage } from './lazyPage.tsx';

// Fetched with the first signed-in screen: guests (sign-in, sign-up) make no queries, and TanStack Query would
// take a tenth of the sign-in page's download budget (scripts/size.mjs)
const SignedInQueries = lazyPage(() => import('./SignedInQueries.tsx').then((m) => m.SignedInQueries), 'your account');

/**
 * The query cache (TanStack Query, lib/query.ts) for whoever is signed in. One cache per user: signing out drops it
 * with everything it held, so the next person to sign in on this tablet never sees the last one's data.
 */
export function QueryProvider({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  return user ? <SignedInQueries key={user.id}>{children}</SignedInQueries> : children;
}
