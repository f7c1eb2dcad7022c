import { NoAccessTokenError, paymentsApi } from '#client/payments-api';
import { element, show } from './page-elements';
import { addMonths, monthOf } from './month';
import { showMonth } from './month-view';
import { showCommitments, wireCorrections } from './commitments-view';
import { wirePaymentForm } from './payment-form';
import { type Session, signIn } from './sign-in';
import { APP_BASE_PATH, CALLBACK_PATH, type WebAppConfig } from './web-app-config';

/**
 * The customer web app: signs in (authorization code + PKCE), then shows a month of the customer's payments, the
 * month's report with its commitments and streaks, and a form to add a payment. Everything it shows of the API's
 * answers goes in as text. The session is refreshed as it is used; when it ends without the customer signing out (the
 * refresh refused, the API answering 401), the page turns to the signed-out view and says so.
 */
const SESSION_ENDED = 'Your session has ended; sign in again.';

const status = (message: string): void => {
  element('status', HTMLParagraphElement).textContent = message;
};

const loadConfig = async (): Promise<WebAppConfig> => {
  const response = await fetch(`${APP_BASE_PATH}config.json`);
  if (!response.ok) throw new Error(`The app's configuration did not load (${response.status})`);
  return (await response.json()) as WebAppConfig;
};

/** Why the customer is signed out when it was not their doing, and what of theirs was cut short: shown when set. */
let endedMessage: string | undefined;

const showSignedOut = (): void => {
  show(element('signed-in', HTMLElement), false);
  show(element('signed-in-as', HTMLParagraphElement), false);
  show(element('sign-out', HTMLButtonElement), false);
  const ended = element('session-ended', HTMLParagraphElement);
  ended.textContent = endedMessage ?? '';
  show(ended, endedMessage !== undefined);
  show(element('signed-out', HTMLElement), true);
  status('');
  element('sign-in', HTMLButtonElement).focus();
};

/** The session ended under the customer; `note` says what that cut short (a payment not sent). */
const sessionEnded = (note?: string): void => {
  endedMessage = [endedMessage ?? SESSION_ENDED, note].filter(Boolean).join(' ');
  showSignedOut();
};

const showSignedIn = (session: Session, signOut: () => Promise<void>): void => {
  const who = element('signed-in-as', HTMLParagraphElement);
  who.textContent = `Signed in as ${session.email ?? session.sub}`;
  show(who, true);
  const button = element('sign-out', HTMLButtonElement);
  button.addEventListener('click', () => void signOut());
  show(button, true);
  show(element('signed-in', HTMLElement), true);
};

const start = async (): Promise<void> => {
  const config = await loadConfig();
  const appUrl = new URL(APP_BASE_PATH, location.origin);
  const auth = await signIn(config, appUrl, { onSessionEnded: () => sessionEnded() });
  element('sign-in', HTMLButtonElement).addEventListener('click', () => void auth.start());

  if (location.pathname === CALLBACK_PATH) {
    const callback = new URL(location.href);
    // The code is single-use: off the address bar (and history) before anything else can read or resend it.
    history.replaceState(null, '', APP_BASE_PATH);
    await auth.complete(callback);
  }
  // A reload after the access token expired is refreshed here, and stays signed in.
  const session = await auth.session();
  if (!session) {
    showSignedOut();
    return;
  }
  showSignedIn(session, auth.signOut);

  const api = paymentsApi({ baseUrl: config.apiUrl ?? location.origin, accessToken: auth.accessToken });
  api.use({
    // A token the API refuses (revoked at Cognito, signed by a retired key) ends the session: the API will not take
    // it again, and a refresh, if the provider gave one, would only hide that the sign-in is over.
    onResponse: ({ response }) => {
      if (response.status === 401) auth.end();
      return undefined;
    },
  });
  const monthInput = element('month', HTMLInputElement);
  const showSelected = async (): Promise<void> => {
    status(`Loading ${monthInput.value}…`);
    try {
      await showMonth(api, monthInput.value);
      status('');
    } catch (error) {
      // The session ended on the way: the signed-out view already says so.
      if (error instanceof NoAccessTokenError || endedMessage !== undefined) return;
      status(`The month did not load: ${(error as Error).message}. Choose it again to retry.`);
    }
  };
  const goTo = async (month: string): Promise<void> => {
    monthInput.value = month;
    await showSelected();
  };
  monthInput.value = monthOf(new Date());
  monthInput.addEventListener('change', () => void showSelected());
  element('previous-month', HTMLButtonElement).addEventListener(
    'click',
    () => void goTo(addMonths(monthInput.value, -1)),
  );
  element('next-month', HTMLButtonElement).addEventListener('click', () => void goTo(addMonths(monthInput.value, 1)));
  wirePaymentForm({
    api,
    userId: () => session.sub,
    status,
    sessionEnded,
    onStored: async (month, message) => {
      await goTo(month);
      status(message);
    },
  });
  wireCorrections(api, status);
  await Promise.all([showSelected(), showCommitments(api).catch(() => status('Your commitments did not load.'))]);
};

start().catch((error: unknown) =>
  status(`Something went wrong: ${(error as Error).message}. Reload the page to try again.`),
);
