import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

// A real OpenID provider (oidc-provider, the certified one) for the single sign-on tests, on
// 127.0.0.1 at a random port: its own clients and accounts, and its development sign-in and
// consent pages (devInteractions), where any login name is the account of that id.

export type TestAccount = { email: string; emailVerified: boolean; name: string };
export type TestClient = { clientId: string; clientSecret: string; redirectUris: string[] };

export type TestProvider = {
  issuer: string;
  accounts: Map<string, TestAccount>;
  close(): Promise<void>;
};

export async function startOidcProvider(clients: TestClient[]): Promise<TestProvider> {
  const accounts = new Map<string, TestAccount>();
  // The issuer names the port, which is known once listening: the server takes requests once
  // the provider is made, just after.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // The claims in the ID token itself, as Google, Entra and Keycloak send them.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['parley-test-provider-cookie-key'] },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: account.email,
          email_verified: account.emailVerified,
          name: account.name,
        }),
      };
    },
  });
  provider.on('server_error', () => undefined);
  server.on('request', provider.callback());
  // Its development signing keys are made on first use: made now, outside the tests' time.
  await fetch(`${issuer}/jwks`);
  return {
    issuer,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
