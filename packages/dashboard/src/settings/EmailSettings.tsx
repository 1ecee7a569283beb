import { useQuery } from '@tanstack/react-query';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { useMe } from '../auth/AuthProvider';
import { Button, Card, Spinner } from '../ui/controls';
import { durationInWords, formatDateTime } from '../ui/time';

/** Whether Parley can send email, a test email to oneself, and the emails that failed. */
export function EmailSettings() {
  const me = useMe();
  const settings = useQuery({
    queryKey: keys.emailSettings,
    queryFn: () => call('getEmailSettings'),
  });
  const failed = useQuery({
    queryKey: keys.failedJobs,
    queryFn: () => call('listJobs', { query: { status: 'failed', limit: 20 } }),
  });
  const sendTest = useSave({
    save: () => call('sendTestEmail'),
    done: `On its way to ${me.email}`,
  });
  const retry = useSave({
    save: (id: string) => call('retryJob', { params: { id } }),
    invalidates: [keys.failedJobs],
  });

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
            <Button variant="secondary" onClick={() => sendTest.run()} disabled={sendTest.busy}>
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
              <code className="break-all">smtp://user:password@smtp.example.com:587</code>) and{' '}
              <code>MAIL_FROM</code> (such as <code>Acme Support &lt;support@acme.example&gt;</code>
              ) in the server&apos;s environment and restart it.
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
                <Button variant="secondary" onClick={() => retry.run(job.id)}>
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
