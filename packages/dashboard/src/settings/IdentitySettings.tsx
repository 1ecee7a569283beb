import type { IdentitySettingsReply, IdentitySettingsView as Settings } from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { call } from '../api/client';
import { useSites } from '../api/hooks';
import { keys } from '../api/keys';
import { useSave } from '../api/save';
import { Button, Card, Spinner } from '../ui/controls';
import { copyText, secretCopied } from '../ui/copy';
import { Option } from '../ui/OptionList';
import { formatDateTime } from '../ui/time';

const serverSample = (secret: string) => `// On your server, for the signed-in user:
const hash = crypto.createHmac('sha256', '${secret}')
  .update(String(user.id)).digest('hex');`;

const pageSample = `LiveChatWidget.setUser({ id: "42", name: "Ada", email: "ada@example.com", hash: "<hash>" });
// When the user signs out:
LiveChatWidget.reset();`;

/**
 * Verified visitors: the secret the site's server signs its users' ids with, and whether
 * unsigned identities are refused. Hidden until revealed, as any password would be: the server
 * sends it only when asked, and records who asked. Each site has its own: `siteId` names one
 * (its editor in Settings → Sites); without it, the default site's (Settings → Identity).
 */
export function IdentitySettings({ siteId }: { siteId?: string }) {
  const qc = useQueryClient();
  const key = keys.identitySettings(siteId ?? null);
  const query = siteId ? { siteId } : {};
  const saved = useQuery({
    queryKey: key,
    queryFn: () => call('getIdentitySettings', { query }),
  });
  const [secret, setSecret] = useState<string | null>(null);
  const reveal = useSave({
    save: () => call('getIdentitySecret', { query }),
    onSaved: (reply) => setSecret(reply.secret),
    // The reveal is recorded: the line under the secret says so.
    invalidates: [key],
  });
  const settled = (reply: IdentitySettingsReply) => qc.setQueryData(key, reply);
  const rotate = useSave({
    save: () => call('rotateIdentitySecret', { query }),
    onSaved: (reply) => {
      settled(reply);
      reveal.run();
    },
    done: 'New secret in use',
  });
  const require = useSave({
    save: (requireVerification: boolean) =>
      call('updateIdentitySettings', { query, body: { requireVerification } }),
    onSaved: settled,
    done: (_, required) =>
      required ? 'Only verified identities are taken' : 'Unsigned identities allowed',
  });
  if (!saved.data) return <Spinner />;
  const settings = saved.data.settings;
  const busy = rotate.busy || require.busy;

  const confirmRotate = () => {
    const sure = window.confirm(
      'Make a new secret? Hashes made with the current one stop working at once, and verified visitors become anonymous until your site signs with the new one.',
    );
    if (sure) rotate.run();
  };

  return (
    <Card title="Identity verification">
      <div className="max-w-2xl space-y-4 text-sm text-slate-700">
        {siteId ? null : <OtherSites />}
        <p>
          If your site signs its users in, it can prove to Parley who a visitor is. Your server
          signs the user&apos;s id with this secret (HMAC-SHA256, in hex) and the page passes it to{' '}
          <code>LiveChatWidget.setUser</code>. A verified visitor sees their conversations on every
          device and browser; agents see a <strong>Verified</strong> badge with your id for them.
          Without a valid hash, an id reaches nothing: name and email are only what the visitor
          says.
        </p>
        <SecretField
          settings={settings}
          secret={secret}
          onToggle={() => (secret ? setSecret(null) : reveal.run())}
          onRotate={confirmRotate}
          busy={busy}
        />
        <Option
          checked={settings.requireVerification}
          disabled={busy}
          onChange={(e) => require.run(e.target.checked)}
          label="Require verification"
          description={
            <>
              Refuse <code>setUser</code> calls without a valid hash. Visitors can still chat
              anonymously; the site&apos;s console says why an identity was refused.
            </>
          }
        />
        <details>
          <summary className="cursor-pointer font-medium text-slate-900">How to sign</summary>
          <pre className="mt-2 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
            {serverSample(secret ?? 'YOUR_SECRET')}
          </pre>
          <pre className="mt-2 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
            {pageSample}
          </pre>
        </details>
      </div>
    </Card>
  );
}

/**
 * With several sites, Settings → Identity is the default site's: it says so, and where the
 * others' are (each site's editor).
 */
function OtherSites() {
  const sites = useSites().data?.items ?? [];
  const home = sites.find((s) => s.isDefault);
  if (sites.length < 2 || !home) return null;
  return (
    <p className="rounded-md border border-slate-200 bg-slate-50 p-3 text-slate-800">
      This is the secret of the default site, <strong>{home.name}</strong>. Each site has its own:
      the others&apos; are in{' '}
      <Link to="/settings/sites" className="font-medium text-blue-700 underline">
        Settings → Sites
      </Link>
      , in each site&apos;s editor.
    </p>
  );
}

function SecretField({
  settings,
  secret,
  onToggle,
  onRotate,
  busy,
}: {
  settings: Settings;
  secret: string | null;
  onToggle(): void;
  onRotate(): void;
  busy: boolean;
}) {
  return (
    <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
      <p className="mb-2 font-medium text-slate-700">Secret</p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          className="min-w-0 flex-1 break-all font-mono text-xs text-slate-900"
          data-testid="identity-secret"
        >
          {secret ?? '•'.repeat(32)}
        </code>
        <Button variant="secondary" onClick={onToggle}>
          {secret ? 'Hide' : 'Reveal'}
        </Button>
        {secret ? (
          <Button variant="secondary" onClick={() => void copyText(secret, secretCopied)}>
            Copy
          </Button>
        ) : null}
        <Button variant="danger" onClick={onRotate} disabled={busy}>
          Rotate
        </Button>
      </div>
      <p className="mt-2 text-xs text-slate-600">
        Made {formatDateTime(settings.rotatedAt)}.{' '}
        {settings.secretRevealed
          ? `Last revealed by ${settings.secretRevealed.by}, ${formatDateTime(settings.secretRevealed.at)}. `
          : 'Not revealed yet. '}
        Keep it on your server: anyone who has it can sign in as any of your users.
      </p>
    </div>
  );
}
