import { type StatWatcher, watchFile, unwatchFile } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONWebKeySet } from 'jose';
import type Provider from 'oidc-provider';
import { LOCAL_CLIENT_IDS, MACHINE_CLIENTS } from '#contract/oauth-clients';
import type { Caller } from '#contract/workflow-io';
import { verifyAccessToken } from '#local/cognito/access-tokens';
import { autoSubmitMiddleware } from '#local/cognito/auto-submit';
import { INTERACTION_PATH_PREFIX, interactionHandler } from '#local/cognito/interactions';
import { openLocalAccounts } from '#local/cognito/local-accounts';
import { loadOrCreateSecrets } from '#local/cognito/local-secrets';
import type { providerConfiguration } from '#local/cognito/provider-configuration';
import { PROVIDER_ROUTES } from '#local/cognito/provider-routes';
import { openProviderStore } from '#local/cognito/provider-store';
import { PROVIDER_SECURITY_HEADERS } from '#local/cognito/sign-in-pages';
import { type KeyRing, loadOrCreateKeyRing, publicJwks, signingKeysFile } from '#local/cognito/signing-keys';
import { userinfoHandler } from '#local/cognito/userinfo';

/**
 * The local stand-in for the Cognito user pool: panva's oidc-provider (OpenID Certified), with the clients of
 * contract/oauth-clients.ts, the local sign-in pages, its state under the data dir, mounted on the gateway's port
 * (the gateway hands it the paths `handles` claims). It re-reads its signing keys when `npm run keys` changes them:
 * a new provider is built on the same store, so sign-ins and tokens in flight carry on.
 */
export interface LocalOpenIdProviderOptions {
  issuer: string;
  dataDir: string;
  /** Overrides every client's access-token lifetime (LOCAL_ACCESS_TOKEN_SECONDS). */
  accessTokenLifetimeSeconds?: number;
  log: (entry: Record<string, unknown>) => void;
}

export interface LocalOpenIdProvider {
  /** Whether a request path is the provider's (discovery, JWKS, /oauth2/*, /logout, /interaction/*). */
  handles: (pathname: string) => boolean;
  handle: (request: IncomingMessage, response: ServerResponse) => void;
  /** The published keys now: what the gateway verifies access tokens against. */
  jwks: () => JSONWebKeySet;
  /** The check the gateway's authorizer makes (Cognito authorizer's): this issuer, a published key, a known client. */
  verifyAccessToken: (token: string) => Promise<Caller>;
  /** The confidential clients' secrets, by client id (printed by `npm start`). */
  clientSecrets: Record<string, string>;
  close: () => void;
}

interface LoadedProvider {
  provider: Provider;
  callback: ReturnType<Provider['callback']>;
}

const SECRET_NAMES = [...MACHINE_CLIENTS.map((client) => client.localId), 'cookie-signing-key'];
/** The key file is polled: a rename over it (how `npm run keys` writes) is seen wherever fs events are unreliable. */
const KEY_FILE_POLL_MS = 250;

const isProviderPath = (pathname: string): boolean =>
  pathname === '/.well-known/openid-configuration' ||
  pathname === PROVIDER_ROUTES.jwks ||
  pathname.startsWith('/oauth2/') ||
  pathname === PROVIDER_ROUTES.end_session ||
  pathname.startsWith(`${PROVIDER_ROUTES.end_session}/`) ||
  pathname.startsWith(INTERACTION_PATH_PREFIX);

/**
 * Follows the signing key file: `use` gets the ring again whenever the file changes (a rotation by another
 * process). Answers what stops following it.
 */
const watchSigningKeys = (
  dataDir: string,
  log: LocalOpenIdProviderOptions['log'],
  use: (keys: KeyRing) => void,
): (() => void) => {
  const keyFile = signingKeysFile(dataDir);
  const reloadKeys = (): void => {
    loadOrCreateKeyRing(dataDir).then(
      (keys) => {
        use(keys);
        log({
          source: 'oidc',
          message: 'Signing keys reloaded',
          kids: keys.keys.map((key) => `${key.kid} (${key.status})`),
        });
      },
      // A ring that cannot be read keeps the keys in use: the stack goes on signing and verifying as before.
      (error: unknown) =>
        log({ source: 'oidc', message: 'Signing keys not reloaded', error: (error as Error).message }),
    );
  };
  const watcher: StatWatcher = watchFile(keyFile, { interval: KEY_FILE_POLL_MS }, (now, before) => {
    if (now.mtimeMs !== before.mtimeMs || now.ino !== before.ino) reloadKeys();
  });
  watcher.unref();
  return () => unwatchFile(keyFile);
};

/**
 * oidc-provider (its Koa app: about a second of CPU to load) and its configuration are loaded on the first request to
 * one of its paths, not at start: most stacks never sign anyone in (a test's, or one an integration posts to with `npm run token`'s tokens).
 */
const loadProvider = async (
  issuer: string,
  keys: KeyRing,
  parts: Omit<Parameters<typeof providerConfiguration>[0], 'issuer' | 'keys'> & {
    log: LocalOpenIdProviderOptions['log'];
  },
): Promise<LoadedProvider> => {
  const { log, ...configuration } = parts;
  const { default: OidcProvider } = await import('oidc-provider');
  // A require, not import(): the stack runs our TypeScript through tsx's CommonJS hook, which import() would bypass.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { providerConfiguration: configurationOf } = require('#local/cognito/provider-configuration') as {
    providerConfiguration: typeof providerConfiguration;
  };
  const provider = new OidcProvider(issuer, configurationOf({ issuer, keys, ...configuration }));
  provider.use(autoSubmitMiddleware);
  provider.on('server_error', (_ctx, error) =>
    log({ source: 'oidc', message: 'Provider error', error: error.message }),
  );
  return { provider, callback: provider.callback() };
};

/**
 * The signing keys as the key file has them now (followed across rotations by other processes), and the provider
 * built from them on first use and again after a rotation; a failed build is tried again by the next request.
 */
const keyedProvider = async (
  dataDir: string,
  log: LocalOpenIdProviderOptions['log'],
  build: (keys: KeyRing) => Promise<LoadedProvider>,
) => {
  let keys = await loadOrCreateKeyRing(dataDir);
  let jwks = publicJwks(keys);
  let loading: Promise<LoadedProvider> | undefined;
  let loaded: LoadedProvider | undefined;
  const close = watchSigningKeys(dataDir, log, (rotated) => {
    keys = rotated;
    jwks = publicJwks(rotated);
    loading = undefined;
  });
  return {
    jwks: (): JSONWebKeySet => jwks,
    providerNow: (): Promise<LoadedProvider> =>
      (loading ??= build(keys).then(
        (built) => (loaded = built),
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      )),
    /** The provider last built: for what only providerNow()'s callers reach. */
    loaded: (): LoadedProvider => loaded!,
    close,
  };
};

export const startLocalOpenIdProvider = async (options: LocalOpenIdProviderOptions): Promise<LocalOpenIdProvider> => {
  const { issuer, dataDir, log } = options;
  const [store, accounts, secrets] = await Promise.all([
    openProviderStore(dataDir),
    openLocalAccounts(dataDir),
    loadOrCreateSecrets(dataDir, SECRET_NAMES),
  ]);
  const clientSecrets = Object.fromEntries(MACHINE_CLIENTS.map((client) => [client.localId, secrets[client.localId]!]));

  const build = (keys: KeyRing): Promise<LoadedProvider> =>
    loadProvider(issuer, keys, {
      store,
      accounts,
      clientSecrets,
      cookieKeys: [secrets['cookie-signing-key']!],
      accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds,
      log,
    });
  const current = await keyedProvider(dataDir, log, build);

  const verify = (token: string): Promise<Caller> =>
    verifyAccessToken(token, { jwks: current.jwks(), issuer, allowedClientIds: LOCAL_CLIENT_IDS });
  // Reached only through handle(), which has the provider loaded first.
  const interactions = interactionHandler({ provider: () => current.loaded().provider, accounts, log });
  const userinfo = userinfoHandler({ accounts, verifyToken: verify });
  const issuerHost = new URL(issuer).host;

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    // The issuer names the origin: the provider builds its URLs and cookies from the Host, so a request that came
    // to 127.0.0.1 is answered as if to localhost (one origin, one set of cookies).
    request.headers.host = issuerHost;
    // Every answer of the provider (its pages, errors, JSON) is protected as the gateway's are; a page sets its own CSP.
    for (const [name, value] of Object.entries(PROVIDER_SECURITY_HEADERS)) response.setHeader(name, value);
    const pathname = new URL(request.url ?? '/', issuer).pathname;
    const answer = current
      .providerNow()
      .then(({ callback }) =>
        pathname.startsWith(INTERACTION_PATH_PREFIX)
          ? interactions(request, response, pathname)
          : pathname === PROVIDER_ROUTES.userinfo
            ? userinfo(request, response)
            : callback(request, response),
      );
    answer.catch((error: unknown) => {
      log({ source: 'oidc', message: 'Provider request failed', error: (error as Error).message });
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  };

  return {
    handles: isProviderPath,
    handle,
    jwks: current.jwks,
    verifyAccessToken: verify,
    clientSecrets,
    close: current.close,
  };
};
