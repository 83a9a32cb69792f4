import { Navigate, Route, Routes } from 'react-router-dom';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { SignupPage } from '../features/auth/SignupPage.tsx';
import { DebriefPage } from '../features/debrief/DebriefPage.tsx';
import { ExchangesPage } from '../features/exchanges/ExchangesPage.tsx';
import { ProfilePage } from '../features/profile/ProfilePage.tsx';
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
          <Route element={<Layout />}>
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
              <Route path="/debriefs/:exchangeId" element={<DebriefPage />} />
              <Route path="/profile" element={<ProfilePage />} />
            </Route>
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </AuthProvider>
    </ToastProvider>
  );
}
