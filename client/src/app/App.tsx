import { Navigate, Route, Routes } from 'react-router-dom';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { SignupPage } from '../features/auth/SignupPage.tsx';
import { DebriefPage } from '../features/debrief/DebriefPage.tsx';
import { ExchangesPage } from '../features/exchanges/ExchangesPage.tsx';
import { JoinExchangePage } from '../features/exchanges/JoinExchangePage.tsx';
import { NotificationsProvider } from '../features/notifications/NotificationsProvider.tsx';
import { PrintSummaryPage } from '../features/print/PrintSummaryPage.tsx';
import { ProfilePage } from '../features/profile/ProfilePage.tsx';
import { ReviewPage } from '../features/review/ReviewPage.tsx';
import { AppEventsProvider } from '../lib/events.ts';
import { AuthProvider } from './AuthProvider.tsx';
import { GuestOnly } from './GuestOnly.tsx';
import { Layout } from './Layout.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { RequireAuth } from './RequireAuth.tsx';
import { HOME_PATH } from './returnTo.ts';
import { ToastProvider } from './ui/Toast.tsx';

export function App() {
  return (
    <ToastProvider>
      <AuthProvider>
        <Routes>
          <Route element={<SessionLayout />}>
            <Route
              path="/login"
              element={
                <GuestOnly>
                  <LoginPage />
                </GuestOnly>
              }
            />
            <Route
              path="/signup"
              element={
                <GuestOnly>
                  <SignupPage />
                </GuestOnly>
              }
            />
            <Route element={<RequireAuth />}>
              <Route index element={<Navigate to={HOME_PATH} replace />} />
              <Route path="/exchanges" element={<ExchangesPage />} />
              <Route path="/join/:token" element={<JoinExchangePage />} />
              <Route path="/debriefs/:exchangeId" element={<DebriefPage />} />
              <Route path="/debriefs/:exchangeId/print" element={<PrintSummaryPage />} />
              <Route path="/review" element={<ReviewPage />} />
              <Route path="/profile" element={<ProfilePage />} />
            </Route>
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </AuthProvider>
    </ToastProvider>
  );
}

/** The shell plus the session's live services (app-events socket, notifications), kept mounted across pages. */
function SessionLayout() {
  return (
    <AppEventsProvider>
      <NotificationsProvider>
        <Layout />
      </NotificationsProvider>
    </AppEventsProvider>
  );
}
