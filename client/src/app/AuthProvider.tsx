import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { CurrentUser, LoginBody, SignupBody } from '@kneadback/shared/schemas/user';
import { api, ApiRequestError, onSessionExpired } from '../lib/api.ts';
import { useToast } from './ui/Toast.tsx';
import { forgetLocalCopies } from '../lib/collab/forgetLocalCopies.ts';
import { loadUserSchemas } from '../lib/userSchemas.ts';

// Fetched with the answer in hand: a visitor who is not signed in gets a 401 and never needs it
const meResponseSchema = () => loadUserSchemas().then((m) => m.meResponseSchema);

/** `unreachable`: we could not ask the server who is signed in (offline, server down). */
export type AuthStatus = 'loading' | 'ready' | 'unreachable';

interface AuthContextValue {
  status: AuthStatus;
  user: CurrentUser | null;
  /** True after the user chose to sign out, so the next sign-in starts fresh instead of returning to their last page */
  signedOut: boolean;
  signIn: (body: LoginBody) => Promise<void>;
  signUp: (body: SignupBody) => Promise<void>;
  signOut: () => Promise<void>;
  /** Deletes the account (the password confirms it) and ends the session like signing out. */
  deleteAccount: (password: string) => Promise<void>;
  refresh: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/** Owns the session: who is signed in, and every call to /api/auth. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [user, setUser] = useState<CurrentUser | null>(null);
  const [signedOut, setSignedOut] = useState(false);
  const userRef = useRef(user);
  const toast = useToast();

  useEffect(() => {
    userRef.current = user;
  }, [user]);

  const refresh = useCallback(async (signal?: AbortSignal) => {
    setStatus((current) => (current === 'unreachable' ? 'loading' : current));
    try {
      const { user } = await api.get('/api/auth/me', meResponseSchema, { signal });
      setUser(user);
      setStatus('ready');
    } catch (err) {
      if (signal?.aborted) return;
      if (err instanceof ApiRequestError && err.status === 401) {
        setUser(null);
        setStatus('ready');
      } else if (!userRef.current) {
        setStatus('unreachable');
      }
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void refresh(controller.signal);
    return () => controller.abort();
  }, [refresh]);

  useEffect(
    () =>
      onSessionExpired(() => {
        if (!userRef.current) return;
        setUser(null);
        toast('Your session has ended. Please sign in again.');
      }),
    [toast],
  );

  const signIn = useCallback(async (body: LoginBody) => {
    const { user } = await api.post('/api/auth/login', body, meResponseSchema);
    setUser(user);
    setSignedOut(false);
    setStatus('ready');
  }, []);

  const signUp = useCallback(async (body: SignupBody) => {
    const { user } = await api.post('/api/auth/signup', body, meResponseSchema);
    setUser(user);
    setSignedOut(false);
    setStatus('ready');
  }, []);

  const signOut = useCallback(async () => {
    await api.post('/api/auth/logout');
    await forgetLocalCopies();
    setSignedOut(true);
    setUser(null);
  }, []);

  const deleteAccount = useCallback(async (password: string) => {
    await api.post('/api/account/delete', { password });
    await forgetLocalCopies();
    setSignedOut(true);
    setUser(null);
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({ status, user, signedOut, signIn, signUp, signOut, deleteAccount, refresh: () => refresh() }),
    [status, user, signedOut, signIn, signUp, signOut, deleteAccount, refresh],
  );
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthContextValue {
  const value = use(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
