import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { NotificationBell } from '../features/notifications/NotificationBell.tsx';
import { ApiRequestError } from '../lib/api.ts';
import { useAuth } from './AuthProvider.tsx';
import { HOME_PATH } from './returnTo.ts';
import { Button } from './ui/Button.tsx';
import { useToast } from './ui/Toast.tsx';
import { useHeaderHeight } from './useHeaderHeight.ts';

export function Layout() {
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  const toast = useToast();
  const [signingOut, setSigningOut] = useState(false);
  const main = useRef<HTMLElement>(null);
  const header = useRef<HTMLElement>(null);
  useHeaderHeight(header);
  const { pathname } = useLocation();
  const firstRender = useRef(true);

  // A client-side navigation is silent to screen readers and keeps the scroll: move both to the new screen
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    window.scrollTo(0, 0);
    main.current?.focus({ preventScroll: true });
  }, [pathname]);

  async function handleSignOut() {
    setSigningOut(true);
    try {
      await signOut();
      navigate('/login', { replace: true, state: null });
    } catch (err) {
      toast(err instanceof ApiRequestError ? err.message : 'Could not sign out. Try again.', 'error');
    } finally {
      setSigningOut(false);
    }
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header" ref={header}>
        <div className="app-header__inner">
          <Link to={user ? HOME_PATH : '/login'} className="brand">
            <BrandMark />
            <span>Kneadback</span>
          </Link>
          {user && (
            <>
              <nav className="app-nav" aria-label="Main">
                <NavLink to="/home" className="app-nav__link">
                  Home
                </NavLink>
                <NavLink to="/exchanges" end className="app-nav__link">
                  Exchanges
                </NavLink>
                <NavLink to="/exchanges/requests" className="app-nav__link">
                  Requests
                </NavLink>
                <NavLink to="/review" className="app-nav__link">
                  Review
                </NavLink>
                <NavLink to="/partners" className="app-nav__link">
                  Find partners
                </NavLink>
                <NavLink to="/notes" className="app-nav__link">
                  Notes
                </NavLink>
                <NavLink to="/profile" className="app-nav__link">
                  Profile
                </NavLink>
                <NavLink to="/settings" className="app-nav__link">
                  Settings
                </NavLink>
              </nav>
              <div className="app-header__account">
                <NotificationBell />
                <span className="app-header__name" title={user.displayName}>
                  {user.displayName}
                </span>
                <Button variant="ghost" busy={signingOut} onClick={handleSignOut}>
                  Sign out
                </Button>
              </div>
            </>
          )}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="app-main">
        <Outlet />
      </main>
    </>
  );
}

function BrandMark() {
  return (
    <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" />
      <circle cx="12.5" cy="16" r="6.5" />
      <circle cx="19.5" cy="16" r="6.5" />
    </svg>
  );
}
