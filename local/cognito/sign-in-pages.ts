import { escapeHtml } from '#local/html-escape';

/**
 * The local provider's pages (sign-in, consent, sign-out, errors) as HTML strings, in the place of Cognito's hosted UI.
 * No script at all, and one stylesheet from the same origin: the CSP below forbids everything else. Everything shown
 * that came with the request (an e-mail typed in, a client's name, an error's description) goes through escapeHtml.
 *
 * The sign-in form is an interface other code drives (the web app's tests, people): its labels, ids, names and button
 * texts stay as they are.
 */
export const PAGES_STYLESHEET_PATH = '/interaction/pages.css';
/** Named by every page, so a browser does not ask for /favicon.ico (a 404 on the gateway, a console error). */
export const PAGES_ICON_PATH = '/interaction/favicon.svg';
export const PAGES_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f6feb"/></svg>`;

export const PAGES_SECURITY_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // Forms post only to this origin (the interaction and sign-out endpoints); the redirects that follow them go to
  // the clients' registered redirect URIs, all on this origin in the local stack.
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

export const PAGES_STYLESHEET = `body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.4rem}label{display:block;margin-top:1rem;font-weight:600}
input{display:block;width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem;font-size:1rem}
button{margin-top:1.25rem;margin-right:.5rem;padding:.5rem 1.25rem;font-size:1rem;cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid #1f6feb;outline-offset:2px}
.error{color:#a40e26;border-left:4px solid #a40e26;padding-left:.5rem}.note{color:#555;font-size:.9rem}
ul.scopes{padding-left:1.25rem}ul.scopes code{font-weight:600}`;

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Payments Tracker (local)</title>
<link rel="stylesheet" href="${PAGES_STYLESHEET_PATH}"><link rel="icon" href="${PAGES_ICON_PATH}" type="image/svg+xml">
</head><body><main>
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
<form method="post" action="${escapeHtml(action)}"><button type="submit">Allow</button></form>
<form method="post" action="${escapeHtml(abortAction)}"><button type="submit">Deny</button></form>`,
  );

/** The provider's own sign-out form (hidden fields, its xsrf token) and the two answers to it. */
export const signOutPage = (providerForm: string): string =>
  page(
    'Sign out',
    `<h1>Sign out of the Payments Tracker?</h1>
${providerForm}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button>`,
  );

export const signedOutPage = (): string => page('Signed out', '<h1>You are signed out</h1>');

export const errorPage = (error: string, description: string | undefined): string =>
  page(
    'Sign-in error',
    `<h1>Sign-in failed</h1><p class="error" role="alert"><code>${escapeHtml(error)}</code>${description ? `: ${escapeHtml(description)}` : ''}</p>`,
  );
