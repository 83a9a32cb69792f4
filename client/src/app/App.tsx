import { Navigate, Route, Routes } from 'react-router-dom';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { AppEventsProvider } from '../lib/events.ts';
import { AuthProvider } from './AuthProvider.tsx';
import { GuestOnly } from './GuestOnly.tsx';
import { Layout } from './Layout.tsx';
import { lazyPage } from './lazyPage.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { QueryProvider } from './QueryProvider.tsx';
import { RequireAuth } from './RequireAuth.tsx';
import { HOME_PATH } from './returnTo.ts';
import { ToastProvider } from './ui/Toast.tsx';

// Fetched when first shown: only the sign-in page is in the first download (scripts/size.mjs checks it stays
// small). Import pages only through these; a static import would pull a page's code back into the shell.
const SignupPage = lazyPage(
  () => import('../features/auth/SignupPage.tsx').then((m) => m.SignupPage),
  'the sign-up form',
);
const ExchangesPage = lazyPage(
  () => import('../features/exchanges/ExchangesPage.tsx').then((m) => m.ExchangesPage),
  'your exchanges',
);
const JoinExchangePage = lazyPage(
  () => import('../features/exchanges/JoinExchangePage.tsx').then((m) => m.JoinExchangePage),
  'the invitation',
);
const DebriefPage = lazyPage(
  () => import('../features/debrief/DebriefPage.tsx').then((m) => m.DebriefPage),
  'the debrief',
);
const PrintSummaryPage = lazyPage(
  () => import('../features/print/PrintSummaryPage.tsx').then((m) => m.PrintSummaryPage),
  'the debrief summary',
);
const ReviewPage = lazyPage(() => import('../features/review/ReviewPage.tsx').then((m) => m.ReviewPage), 'your review');
const RequestExchangePage = lazyPage(
  () => import('../features/exchange-requests/RequestExchangePage.tsx').then((m) => m.RequestExchangePage),
  'the request form',
);
const RequestsPage = lazyPage(
  () => import('../features/exchange-requests/RequestsPage.tsx').then((m) => m.RequestsPage),
  'your requests',
);
const HomePage = lazyPage(
  () => import('../features/partnership/HomePage.tsx').then((m) => m.HomePage),
  'your home view',
);
const PartnerPage = lazyPage(
  () => import('../features/partnership/PartnerPage.tsx').then((m) => m.PartnerPage),
  'this partnership',
);
const ProfilePage = lazyPage(
  () => import('../features/profile/ProfilePage.tsx').then((m) => m.ProfilePage),
  'your profile',
);
const FindPartnersPage = lazyPage(
  () => import('../features/partners/FindPartnersPage.tsx').then((m) => m.FindPartnersPage),
  'partner search',
);
const TherapistProfilePage = lazyPage(
  () => import('../features/partners/TherapistProfilePage.tsx').then((m) => m.TherapistProfilePage),
  'the profile',
);
const SettingsPage = lazyPage(
  () => import('../features/settings/SettingsPage.tsx').then((m) => m.SettingsPage),
  'your settings',
);

const NotesPage = lazyPage(
  () => import('../features/notes/pages/NotesPage.tsx').then((m) => m.NotesPage),
  'your notes',
);
const NoteSearchPage = lazyPage(
  () => import('../features/notes/pages/NoteSearchPage.tsx').then((m) => m.NoteSearchPage),
  'note search',
);
const NewNotePage = lazyPage(
  () => import('../features/notes/pages/NewNotePage.tsx').then((m) => m.NewNotePage),
  'the new note form',
);
const NotePage = lazyPage(() => import('../features/notes/pages/NotePage.tsx').then((m) => m.NotePage), 'the note');

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
              <Route path="/exchanges/request" element={<RequestExchangePage />} />
              <Route path="/exchanges/requests" element={<RequestsPage />} />
              <Route path="/home" element={<HomePage />} />
              <Route path="/partners/:userId" element={<PartnerPage />} />
              <Route path="/join/:token" element={<JoinExchangePage />} />
              <Route path="/debriefs/:exchangeId" element={<DebriefPage />} />
              <Route path="/debriefs/:exchangeId/print" element={<PrintSummaryPage />} />
              <Route path="/review" element={<ReviewPage />} />
              <Route path="/profile" element={<ProfilePage />} />
              <Route path="/partners" element={<FindPartnersPage />} />
              <Route path="/therapists/:userId" element={<TherapistProfilePage />} />
              <Route path="/settings" element={<SettingsPage />} />
              <Route path="/notes" element={<NotesPage />} />
              <Route path="/notes/search" element={<NoteSearchPage />} />
              <Route path="/notes/new" element={<NewNotePage />} />
              <Route path="/notes/:noteId" element={<NotePage />} />
            </Route>
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </AuthProvider>
    </ToastProvider>
  );
}

/** The shell plus the session's live services (app-events socket, query cache, notifications), kept mounted across pages. */
function SessionLayout() {
  return (
    <AppEventsProvider>
      <QueryProvider>
        <Layout />
      </QueryProvider>
    </AppEventsProvider>
  );
}
