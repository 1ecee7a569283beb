import * as oidc from 'openid-client';
import { badRequest } from '../errors.js';

// The OpenID provider, as `openid-client` knows it after discovery. Discovery is one request to
// the issuer's `/.well-known/openid-configuration`; its answer is kept a few minutes, so a
// sign-in costs the provider's round trips only, and a changed setting is seen at once (the
// key is the issuer, client and secret).

const DISCOVERY_TTL_MS = 5 * 60_000;
const DISCOVERY_TIMEOUT_S = 10;
const known = new Map<string, { config: Promise<oidc.Configuration>; at: number }>();

/** http is accepted only for a provider on this computer (tests, a local set-up). */
const isLocalHttp = (issuer: string) =>
  /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i.test(issuer);

async function discover(
  issuer: string,
  clientId: string,
  clientSecret: string,
): Promise<oidc.Configuration> {
  const config = await oidc.discovery(new URL(issuer), clientId, undefined, undefined, {
    timeout: DISCOVERY_TIMEOUT_S,
    ...(isLocalHttp(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
  });
  const meta = config.serverMetadata();
  // The OIDC default is client_secret_basic; a provider that lists only _post gets that.
  const methods = meta.token_endpoint_auth_methods_supported;
  const auth =
    methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')
      ? oidc.ClientSecretPost(clientSecret)
      : oidc.ClientSecretBasic(clientSecret);
  const withAuth = new oidc.Configuration(meta, clientId, undefined, auth);
  if (isLocalHttp(issuer)) oidc.allowInsecureRequests(withAuth);
  return withAuth;
}

/**
 * The provider's configuration for this client. `fresh`: ask the provider now (saving the
 * settings), and say in the admin's words why it cannot be used: a 400, never a 500.
 */
export async function discoverIssuer(
  issuer: string,
  clientId: string,
  clientSecret: string,
  fresh = false,
): Promise<oidc.Configuration> {
  const key = JSON.stringify([issuer, clientId, clientSecret]);
  const cached = known.get(key);
  if (!fresh && cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.config;
  const config = discover(issuer, clientId, clientSecret);
  known.set(key, { config, at: Date.now() });
  config.catch(() => known.delete(key));
  try {
    const ready = await config;
    assertUsable(ready.serverMetadata());
    return ready;
  } catch (error) {
    known.delete(key);
    if (!fresh) throw error;
    throw badRequest(
      `The issuer could not be discovered at ${issuer.replace(/\/$/, '')}/.well-known/openid-configuration: ${reasonOf(error)}`,
    );
  }
}

/** Parley signs in with the authorization code and S256 PKCE; a provider without them cannot. */
function assertUsable(meta: oidc.ServerMetadata): void {
  const types = meta.response_types_supported;
  if (types && !types.includes('code')) {
    throw new Error('it does not offer the authorization-code flow');
  }
  const challenges = meta.code_challenge_methods_supported;
  if (challenges && !challenges.includes('S256')) {
    throw new Error('it does not offer PKCE with S256');
  }
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return 'no answer';
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`.slice(0, 300);
}
