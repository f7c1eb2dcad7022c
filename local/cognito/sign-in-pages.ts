import path from 'node:path';
import { escapeHtml } from '#local/html-escape';

/**
 * The local provider's pages (sign-in, consent, sign-out, errors) as HTML strings, in the place of Cognito's hosted UI.
 * No inline script or style: one stylesheet (pages.css, the web app's look) and, on the one page that submits itself,
 * one script file, all from the same origin; the CSP below forbids everything else. Everything shown that came with
 * the request (an e-mail typed in, a client's name, an error's description) goes through escapeHtml.
 *
 * The sign-in form is an interface other code drives (the web app's tests, people): its labels, ids, names and button
 * texts stay as they are.
 */
export const PAGES_STYLESHEET_PATH = '/interaction/pages.css';
export const PAGES_STYLESHEET_FILE = path.join(__dirname, 'pages.css');
/** Named by every page, so a browser does not ask for /favicon.ico (a 404 on the gateway, a console error). */
export const PAGES_ICON_PATH = '/interaction/favicon.svg';
export const PAGES_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b6e4f"/></svg>`;
/** The script of the page that submits itself (auto-submit.ts): a file, so no page needs an inline script. */
export const AUTO_SUBMIT_SCRIPT_PATH = '/interaction/auto-submit.js';
export const AUTO_SUBMIT_SCRIPT = 'document.forms[0].submit();\n';

/** Forms post only to this origin (the interaction and sign-out endpoints, the local clients' redirect URIs). */
const PAGES_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/** The same, with the one script file the self-submitting page loads. */
export const AUTO_SUBMIT_CONTENT_SECURITY_POLICY = `${PAGES_CONTENT_SECURITY_POLICY}; script-src 'self'`;

/** On every answer of the provider (pages, JSON, errors): not framed, not sniffed, no referrer, nothing loaded. */
export const PROVIDER_SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': PAGES_CONTENT_SECURITY_POLICY,
};

export const PAGES_SECURITY_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  ...PROVIDER_SECURITY_HEADERS,
};

const page = (title: string, body: string, script?: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Payments Tracker (local)</title>
<link rel="stylesheet" href="${PAGES_STYLESHEET_PATH}"><link rel="icon" href="${PAGES_ICON_PATH}" type="image/svg+xml">
${script ? `<script src="${script}" defer></script>\n` : ''}</head><body>
<header><p>Payments Tracker</p></header>
<main>
${body}
</main></body></html>`;

export interface SignInPage {
  action: string;
  clientName: string;
  email?: string;
  error?: string;
}

export const signInPage = ({ action, clientName, email, error }: SignInPage): string =>
  page(
    'Sign in',
    `<h1>Sign in to ${escapeHtml(clientName)}</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(email ?? '')}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p class="note">Local stack: any e-mail address signs in with the password <code>local</code>.</p>`,
  );

export interface ConsentPage {
  action: string;
  abortAction: string;
  clientName: string;
  email: string;
  /** Each scope asked for, with what it allows. */
  scopes: { name: string; description: string }[];
}

export const consentPage = ({ action, abortAction, clientName, email, scopes }: ConsentPage): string =>
  page(
    'Allow access',
    `<h1>${escapeHtml(clientName)} asks for access</h1>
<p>Signed in as ${escapeHtml(email)}. Allow it:</p>
<ul class="scopes">
${scopes.map((scope) => `<li><code>${escapeHtml(scope.name)}</code>: ${escapeHtml(scope.description)}</li>`).join('\n')}
</ul>
<form class="choice" method="post" action="${escapeHtml(action)}"><button type="submit">Allow</button></form>
<form class="choice" method="post" action="${escapeHtml(abortAction)}"><button type="submit" class="secondary">Deny</button></form>`,
  );

/** The provider's own sign-out form (hidden fields, its xsrf token) and the two answers to it. */
export const signOutPage = (providerForm: string): string =>
  page(
    'Sign out',
    `<h1>Sign out of the Payments Tracker?</h1>
${providerForm}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>`,
  );

export const signedOutPage = (): string => page('Signed out', '<h1>You are signed out</h1>');

/**
 * The provider's self-submitting form (its hidden fields, and the Continue button it shows without script), posted by
 * the script file: sign-out when no one is signed in, the switch to another account, a `form_post` answer.
 */
export const autoSubmitPage = (providerForm: string): string =>
  page('Continuing', `<h1>Continuing…</h1>\n${providerForm}`, AUTO_SUBMIT_SCRIPT_PATH);

export const errorPage = (error: string, description: string | undefined): string =>
  page(
    'Sign-in error',
    `<h1>Sign-in failed</h1><p class="error" role="alert"><code>${escapeHtml(error)}</code>${description ? `: ${escapeHtml(description)}` : ''}</p>`,
  );
