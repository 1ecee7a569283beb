import type { CreateApiTokenReply } from '@parley/protocol';
import { ShownOnce } from './ShownOnce';

/** A new token's secret, shown this once: the server keeps only its hash. */
export function NewTokenSecret({
  created,
  onDone,
}: {
  created: CreateApiTokenReply;
  onDone: () => void;
}) {
  return (
    <ShownOnce
      id="new-token-title"
      title={`Token “${created.token.name}” created`}
      value={created.secret}
      testId="new-token-secret"
      copyLabel="Copy"
      copied={{ done: 'Token copied', failed: 'Copy failed: select the token instead' }}
      onDone={onDone}
    >
      <strong>Copy it now: you won&apos;t see it again.</strong> Parley keeps only a fingerprint of
      it. If it is lost, revoke it and create another.
    </ShownOnce>
  );
}
