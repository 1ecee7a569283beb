import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Toaster } from 'react-hot-toast';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import { AuthProvider } from './auth/AuthProvider';
import { applyTheme } from './preferences/preferences';
import { registerServiceWorker } from './pwa/service-worker';
import './styles.css';

// Live facts keep the cache fresh; refetching on every focus would only add load.
const queryClient = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1, staleTime: 30_000 } },
});

// Before the first render, so that a chosen scheme does not flash the other one.
applyTheme();

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AuthProvider>
          <App />
        </AuthProvider>
      </BrowserRouter>
      <Toaster
        position="bottom-right"
        toastOptions={{
          style: { background: 'var(--color-white)', color: 'var(--color-slate-900)' },
        }}
      />
    </QueryClientProvider>
  </StrictMode>,
);
registerServiceWorker();
