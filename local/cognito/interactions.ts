import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { SCOPE_DESCRIPTIONS, type Scope } from '#contract/scopes';
import { LOCAL_PASSWORD, type LocalAccounts, isEmailAddress } from '#local/cognito/local-accounts';
import {
  AUTO_SUBMIT_SCRIPT,
  AUTO_SUBMIT_SCRIPT_PATH,
  PAGES_ICON,
  PAGES_ICON_PATH,
  PAGES_SECURITY_HEADERS,
  PAGES_STYLESHEET_FILE,
  PAGES_STYLESHEET_PATH,
  consentPage,
  errorPage,
  signInPage,
} from '#local/cognito/sign-in-pages';
import { readBody } from '#local/request-body';

/**
 * The provider's interactions (oidc-provider leaves them to the host): the sign-in page with the local sign-in rule
 * (any e-mail, the password `local`) and the consent page, which lists the scopes asked for. Each ends by handing
 * the result back to the provider, which then redirects to the client with its code.
 */
export const INTERACTION_PATH_PREFIX = '/interaction/';

/** A sign-in form is two short fields. */
const MAX_FORM_BYTES = 4096;

/** The OpenID scopes' words on the consent page (and in the docs page's Authorize dialog). */
export const OPENID_SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Know who you are (your user id)',
  email: 'See your e-mail address',
};

const describe = (scope: string): string =>
  SCOPE_DESCRIPTIONS[scope as Scope] ?? OPENID_SCOPE_DESCRIPTIONS[scope] ?? 'Access to this scope';

const html = (response: ServerResponse, status: number, body: string): void => {
  response.writeHead(status, PAGES_SECURITY_HEADERS);
  response.end(body);
};

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

export interface InteractionOptions {
  provider: () => Provider;
  accounts: LocalAccounts;
  log: (entry: Record<string, unknown>) => void;
}

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** The consent page: the scopes the client asks for and the signed-in account has not yet granted it. */
const showConsent = async (
  { accounts }: InteractionOptions,
  response: ServerResponse,
  interaction: Interaction,
  clientName: string,
) => {
  const base = `${INTERACTION_PATH_PREFIX}${interaction.uid}`;
  const { details } = interaction.prompt;
  const resourceScopes = Object.values((details.missingResourceScopes ?? {}) as Record<string, string[]>).flat();
  const scopes = [...new Set([...stringList(details.missingOIDCScope), ...resourceScopes])];
  const account = await accounts.bySub(interaction.session?.accountId ?? '');
  html(
    response,
    200,
    consentPage({
      action: `${base}/confirm`,
      abortAction: `${base}/abort`,
      clientName,
      email: account?.email ?? '',
      scopes: scopes.map((name) => ({ name, description: describe(name) })),
    }),
  );
};

const showPage = async (
  options: InteractionOptions,
  request: IncomingMessage,
  response: ServerResponse,
  error?: string,
  email?: string,
) => {
  const provider = options.provider();
  const interaction = await provider.interactionDetails(request, response);
  const client = await provider.Client.find(String(interaction.params.client_id));
  const clientName = client?.clientName ?? String(interaction.params.client_id);
  if (interaction.prompt.name !== 'login') return showConsent(options, response, interaction, clientName);
  // A failed sign-in is the form again, with its message: a page to read, not an error of the page.
  const action = `${INTERACTION_PATH_PREFIX}${interaction.uid}/login`;
  html(response, 200, signInPage({ action, clientName, email, error }));
};

const signIn = async (options: InteractionOptions, request: IncomingMessage, response: ServerResponse) => {
  const form = new URLSearchParams((await readBody(request, MAX_FORM_BYTES)).toString('utf8'));
  const email = (form.get('email') ?? '').trim();
  const password = form.get('password') ?? '';
  if (!isEmailAddress(email) || password !== LOCAL_PASSWORD) {
    await showPage(options, request, response, 'Use an e-mail address and the password "local".', email);
    return;
  }
  const account = await options.accounts.signIn(email);
  // No user id in a log line: the provider's own records tie the sign-in to its account.
  options.log({ message: 'Signed in' });
  await options
    .provider()
    .interactionFinished(request, response, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
};

/** The account's grant to the client (its earlier one, or a new one), with everything the prompt found missing added. */
const grantAll = async (provider: Provider, interaction: Interaction, accountId: string): Promise<string> => {
  const { details } = interaction.prompt;
  const grant = interaction.grantId
    ? ((await provider.Grant.find(interaction.grantId)) ?? new provider.Grant({ accountId }))
    : new provider.Grant({ accountId, clientId: String(interaction.params.client_id) });
  const oidcScopes = stringList(details.missingOIDCScope);
  if (oidcScopes.length > 0) grant.addOIDCScope(oidcScopes.join(' '));
  const claims = stringList(details.missingOIDCClaims);
  if (claims.length > 0) grant.addOIDCClaims(claims);
  for (const [indicator, scopes] of Object.entries((details.missingResourceScopes ?? {}) as Record<string, string[]>)) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
};

const consent = async (options: InteractionOptions, request: IncomingMessage, response: ServerResponse) => {
  request.resume();
  const provider = options.provider();
  const interaction = await provider.interactionDetails(request, response);
  const accountId = interaction.session?.accountId;
  if (interaction.prompt.name !== 'consent' || !accountId) {
    html(response, 400, errorPage('invalid_request', 'This sign-in is not waiting for consent'));
    return;
  }
  const grantId = await grantAll(provider, interaction, accountId);
  await provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
};

const deny = async (options: InteractionOptions, request: IncomingMessage, response: ServerResponse) => {
  request.resume();
  await options
    .provider()
    .interactionFinished(
      request,
      response,
      { error: 'access_denied', error_description: 'The user denied access' },
      { mergeWithLastSubmission: false },
    );
};

/** The page or action a path names, by method; a 404 page for anything else. */
const routeInteraction = async (
  options: InteractionOptions,
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
) => {
  const [, action] = pathname.slice(INTERACTION_PATH_PREFIX.length).split('/');
  const method = request.method ?? 'GET';
  if (method === 'GET' && action === undefined) {
    request.resume();
    await showPage(options, request, response);
  } else if (method === 'POST' && action === 'login') await signIn(options, request, response);
  else if (method === 'POST' && action === 'confirm') await consent(options, request, response);
  else if (method === 'POST' && action === 'abort') await deny(options, request, response);
  else {
    request.resume();
    html(response, 404, errorPage('not_found', `No page at ${pathname}`));
  }
};

export const interactionHandler = (options: InteractionOptions) => {
  /** The pages' files, by path: what the pages load, and nothing else. */
  const assets = new Map([
    [PAGES_STYLESHEET_PATH, { type: 'text/css; charset=utf-8', body: readFileSync(PAGES_STYLESHEET_FILE, 'utf8') }],
    [PAGES_ICON_PATH, { type: 'image/svg+xml', body: PAGES_ICON }],
    [AUTO_SUBMIT_SCRIPT_PATH, { type: 'text/javascript; charset=utf-8', body: AUTO_SUBMIT_SCRIPT }],
  ]);

  return async (request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> => {
    const asset = assets.get(pathname);
    if (asset) {
      request.resume();
      response.writeHead(200, { ...PAGES_SECURITY_HEADERS, 'Content-Type': asset.type });
      response.end(asset.body);
      return;
    }
    try {
      await routeInteraction(options, request, response, pathname);
    } catch (error) {
      // An interaction that expired, or a cookie that is missing (another browser, a cleared session).
      options.log({ message: 'Interaction failed', error: (error as Error).message });
      if (!response.headersSent) html(response, 400, errorPage('invalid_request', (error as Error).message));
    }
  };
};
