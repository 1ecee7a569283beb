import { MessagesSquare } from 'lucide-react';
import type { ReactNode } from 'react';

export function AuthShell({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle: string;
  children: ReactNode;
}) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <div className="mb-6 flex items-center gap-2 text-blue-700">
          <MessagesSquare aria-hidden className="h-7 w-7" />
          <span className="text-xl font-bold">Parley</span>
        </div>
        <h1 className="text-lg font-semibold text-slate-900">{title}</h1>
        <p className="mb-4 text-sm text-slate-600">{subtitle}</p>
        {children}
      </div>
    </main>
  );
}
