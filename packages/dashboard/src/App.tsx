import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { useAuth } from './auth/AuthProvider';
import { ForgotPasswordPage } from './auth/ForgotPasswordPage';
import { InvitePage } from './auth/InvitePage';
import { LoginPage } from './auth/LoginPage';
import { ResetPasswordPage } from './auth/ResetPasswordPage';
import { SetupPage } from './auth/SetupPage';
import { TwoFactorGate } from './auth/TwoFactorGate';
import { ConversationsPage } from './conversations/ConversationsPage';
import { AppLayout } from './layout/AppLayout';
import { NotificationLinks } from './pwa/NotificationLinks';
import { RealtimeProvider } from './realtime/RealtimeProvider';
import { Spinner } from './ui/controls';

// Charts (recharts) and the settings forms are loaded only when opened: the first paint of the
// conversations page stays small.
const AnalyticsPage = lazy(() => import('./analytics/AnalyticsPage'));
const ContactsPage = lazy(() => import('./contacts/ContactsPage'));
const SettingsPage = lazy(() => import('./settings/SettingsPage'));
const VisitorsPage = lazy(() => import('./visitors/VisitorsPage'));

export function App() {
  return (
    <>
      <NotificationLinks />
      <Routes>
        {/* Reached from the sign-in page or an emailed link, whether this browser is signed in
            or not, and shown at once, without waiting for the session check. */}
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/invite" element={<InvitePage />} />
        <Route
          path="*"
          element={
            <TwoFactorGate>
              <Desk />
            </TwoFactorGate>
          }
        />
      </Routes>
    </>
  );
}

/** Sign-in and first-run set-up while signed out; the dashboard once signed in. */
function Desk() {
  const { state } = useAuth();
  if (state.phase === 'loading') return <Spinner label="Starting Parley" />;
  if (state.phase === 'signed-out') {
    return (
      <Routes>
        <Route
          path="/setup"
          element={state.needsSetup ? <SetupPage /> : <Navigate to="/login" replace />}
        />
        <Route path="/login" element={<LoginPage />} />
        <Route
          path="*"
          element={<Navigate to={state.needsSetup ? '/setup' : '/login'} replace />}
        />
      </Routes>
    );
  }
  return (
    <RealtimeProvider>
      <Routes>
        <Route element={<AppLayout />}>
          <Route path="/conversations/:id?" element={<ConversationsPage />} />
          <Route path="/visitors" element={<Lazy page={<VisitorsPage />} />} />
          <Route path="/contacts/:id?" element={<Lazy page={<ContactsPage />} />} />
          <Route path="/analytics" element={<Lazy page={<AnalyticsPage />} />} />
          <Route path="/settings/:section?" element={<Lazy page={<SettingsPage />} />} />
          <Route path="*" element={<Navigate to="/conversations" replace />} />
        </Route>
      </Routes>
    </RealtimeProvider>
  );
}

function Lazy({ page }: { page: React.ReactNode }) {
  return <Suspense fallback={<Spinner />}>{page}</Suspense>;
}
