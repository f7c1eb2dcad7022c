import { paymentsApi } from '#client/payments-api';
import { element, show } from './page-elements';
import { addMonths, monthOf } from './month';
import { showMonth } from './month-view';
import { wirePaymentForm } from './payment-form';
import { type Session, signIn } from './sign-in';
import { APP_BASE_PATH, CALLBACK_PATH, type WebAppConfig } from './web-app-config';

/**
 * The customer web app: signs in (authorization code + PKCE), then shows a month of the customer's payments, the
 * month's report with its commitments and streaks, and a form to add a payment. Everything it shows of the API's
 * answers goes in as text.
 */
const status = (message: string): void => {
  element('status', HTMLParagraphElement).textContent = message;
};

const loadConfig = async (): Promise<WebAppConfig> => {
  const response = await fetch(`${APP_BASE_PATH}config.json`);
  if (!response.ok) throw new Error(`The app's configuration did not load (${response.status})`);
  return (await response.json()) as WebAppConfig;
};

const showSignedIn = (session: Session, signOut: () => void): void => {
  const who = element('signed-in-as', HTMLParagraphElement);
  who.textContent = `Signed in as ${session.email ?? session.sub}`;
  show(who, true);
  const button = element('sign-out', HTMLButtonElement);
  button.addEventListener('click', signOut);
  show(button, true);
  show(element('signed-in', HTMLElement), true);
};

const start = async (): Promise<void> => {
  const config = await loadConfig();
  const appUrl = new URL(APP_BASE_PATH, location.origin);
  const auth = await signIn(config, appUrl);

  if (location.pathname === CALLBACK_PATH) {
    const callback = new URL(location.href);
    // The code is single-use: off the address bar (and history) before anything else can read or resend it.
    history.replaceState(null, '', APP_BASE_PATH);
    await auth.complete(callback);
  }
  const session = auth.session();
  if (!session) {
    show(element('signed-out', HTMLElement), true);
    const button = element('sign-in', HTMLButtonElement);
    button.addEventListener('click', () => void auth.start());
    button.focus();
    return;
  }
  showSignedIn(session, auth.signOut);

  const api = paymentsApi({
    baseUrl: config.apiUrl ?? location.origin,
    accessToken: () => auth.session()?.accessToken,
  });
  const monthInput = element('month', HTMLInputElement);
  const showSelected = async (): Promise<void> => {
    status(`Loading ${monthInput.value}…`);
    await showMonth(api, monthInput.value);
    status('');
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
    onStored: async (month, message) => {
      await goTo(month);
      status(message);
    },
  });
  await showSelected();
};

start().catch((error: unknown) =>
  status(`Something went wrong: ${(error as Error).message}. Reload the page to try again.`),
);
