import type { EmailSettingsReply, JobListReply, JobReply } from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import toast from 'react-hot-toast';
import { api } from '../api/client';
import { useMe } from '../auth/AuthProvider';
import { Button, Card, Spinner } from '../ui/controls';
import { toastError } from '../ui/errors';
import { durationInWords, formatDateTime } from '../ui/time';

const emailKey = ['settings', 'email'] as const;
const failedKey = ['jobs', 'failed'] as const;

/** Whether Parley can send email, a test email to oneself, and the emails that failed. */
export function EmailSettings() {
  const me = useMe();
  const qc = useQueryClient();
  const settings = useQuery({
    queryKey: emailKey,
    queryFn: () => api<EmailSettingsReply>('/api/settings/email'),
  });
  const failed = useQuery({
    queryKey: failedKey,
    queryFn: () => api<JobListReply>('/api/jobs?status=failed&limit=20'),
  });
  const [busy, setBusy] = useState(false);

  const sendTest = async () => {
    setBusy(true);
    try {
      await api<JobReply>('/api/settings/email/test', { method: 'POST' });
      toast.success(`On its way to ${me.email}`);
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(false);
    }
  };
  const retry = async (id: string) => {
    try {
      await api<JobReply>(`/api/jobs/${id}/retry`, { method: 'POST' });
      void qc.invalidateQueries({ queryKey: failedKey });
    } catch (err) {
      toastError(err);
    }
  };

  if (!settings.data) return <Spinner />;
  const failures = failed.data?.items ?? [];
  return (
    <div className="space-y-4">
      <Card title="Email">
        {settings.data.enabled ? (
          <div className="space-y-3 text-sm text-slate-700">
            <p>
              Email is on. Parley sends as <strong>{settings.data.from}</strong>.
            </p>
            <ul className="list-disc space-y-1 pl-5">
              <li>
                An agent&apos;s reply the visitor has not seen within{' '}
                {durationInWords(settings.data.unseenDelaySeconds)} is emailed to them.
              </li>
              <li>
                {settings.data.inboundDomain ? (
                  <>
                    Visitors&apos; replies come back to reply addresses at{' '}
                    <strong>{settings.data.inboundDomain}</strong>.
                  </>
                ) : (
                  <>
                    Replies by email are off: set <code>INBOUND_SMTP_PORT</code> and{' '}
                    <code>INBOUND_EMAIL_DOMAIN</code>.
                  </>
                )}
              </li>
              <li>
                The team is emailed about a chat waiting{' '}
                {durationInWords(settings.data.waitingAlertSeconds)} with nobody to answer it. Each
                agent chooses in Settings → Profile.
              </li>
            </ul>
            <Button variant="secondary" onClick={() => void sendTest()} disabled={busy}>
              Send a test email to {me.email}
            </Button>
          </div>
        ) : (
          <div className="space-y-2 text-sm text-slate-700">
            <p>
              <strong>Email is off.</strong> Parley cannot send email until the server has a mail
              server to send through.
            </p>
            <p>
              Set <code>SMTP_URL</code> (such as{' '}
              <code>smtp://user:password@smtp.example.com:587</code>) and <code>MAIL_FROM</code>{' '}
              (such as <code>Acme Support &lt;support@acme.example&gt;</code>) in the server&apos;s
              environment and restart it.
            </p>
          </div>
        )}
      </Card>
      <Card title="Emails that could not be sent">
        {failures.length === 0 ? (
          <p className="text-sm text-slate-600">None.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {failures.map((job) => (
              <li key={job.id} className="flex flex-wrap items-start justify-between gap-2 py-2">
                <span className="min-w-0 flex-1">
                  <span className="block break-words text-slate-900">{job.lastError}</span>
                  <span className="text-xs text-slate-600">
                    {job.attempts} attempts · first queued {formatDateTime(job.createdAt)}
                  </span>
                </span>
                <Button variant="secondary" onClick={() => void retry(job.id)}>
                  Try again
                </Button>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
