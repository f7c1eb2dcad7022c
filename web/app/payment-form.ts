import {
  type FieldError,
  NoAccessTokenError,
  type PaymentSubmission,
  type PaymentsApi,
  type StoredPayment,
} from '#client/payments-api';
import { SubmissionFailedError, submitPayment } from '#client/submit-payment';
import { element, show } from './page-elements';

/**
 * The form that adds a payment. Each new submission gets a fresh payment id when it is sent; a submission that got no
 * answer (the network failed, after the client's own retries) is kept, and sending the form again unchanged resends
 * it with the same id, so a payment is never stored twice. Field errors of a 400 are shown beside their fields.
 *
 * A submission cut short by the end of the session (its refresh refused, or the API answering 401) is not lost: it is
 * kept in the tab's sessionStorage with its id, the signed-out page says it was not sent, and after the same customer
 * signs in again it is back in the form, where Add payment sends it with that same id.
 */
const FIELDS = ['description', 'amount', 'currency', 'timestamp'] as const;
type Field = (typeof FIELDS)[number];

const input = (field: Field): HTMLInputElement => element(field, HTMLInputElement);
const errorOf = (field: Field): HTMLParagraphElement => element(`${field}-error`, HTMLParagraphElement);

const clearErrors = (): void => {
  for (const field of FIELDS) {
    errorOf(field).textContent = '';
    show(errorOf(field), false);
    input(field).removeAttribute('aria-invalid');
  }
  show(element('form-error', HTMLParagraphElement), false);
  show(element('form-note', HTMLParagraphElement), false);
};

const showFormError = (message: string): void => {
  const target = element('form-error', HTMLParagraphElement);
  target.textContent = message;
  show(target, true);
};

/** `errors[].field` names a body field (`amount`, `/amount` or `amount.x`): shown beside that field, or above the form. */
const showFieldErrors = (errors: readonly FieldError[]): void => {
  const unplaced: string[] = [];
  for (const { field, message } of errors) {
    const name = FIELDS.find((candidate) => field.replace(/^\//, '').split(/[./]/)[0] === candidate);
    if (!name) {
      unplaced.push(`${field}: ${message}`);
      continue;
    }
    const target = errorOf(name);
    target.textContent = target.textContent ? `${target.textContent}; ${message}` : message;
    show(target, true);
    input(name).setAttribute('aria-invalid', 'true');
  }
  if (unplaced.length > 0) showFormError(unplaced.join('; '));
  const first = FIELDS.find((field) => input(field).getAttribute('aria-invalid') === 'true');
  if (first) input(first).focus();
};

/** `datetime-local` has no zone: the browser's, written as an RFC 3339 instant. */
const timestampOf = (value: string): string => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
};

/** An instant as a `datetime-local` value (the browser's zone, to the minute). */
const localValueOf = (date: Date): string =>
  new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

const localNow = (): string => localValueOf(new Date());

const sameContent = (a: PaymentSubmission, b: Omit<PaymentSubmission, 'id'>): boolean =>
  FIELDS.every((field) => a[field] === b[field]) && a.userId === b.userId;

const UNSENT_KEY = 'payments-tracker.unsent-payment';

/** A payment as the form's messages name it: a submission kept, or the payment the API stored. */
const summaryOf = (payment: Pick<PaymentSubmission | StoredPayment, 'description' | 'amount' | 'currency'>): string =>
  `${payment.description}, ${payment.amount} ${payment.currency}`;

/** A kept submission back in the form, as the customer typed it (the form's values give the same body again). */
const restore = (submission: PaymentSubmission): void => {
  input('description').value = submission.description;
  input('amount').value = String(submission.amount);
  input('currency').value = submission.currency;
  input('timestamp').value = localValueOf(new Date(submission.timestamp));
};

/** The kept submission of this customer, taken out of storage; another customer's (same tab) is dropped. */
const takeUnsent = (userId: string): PaymentSubmission | undefined => {
  const stored = sessionStorage.getItem(UNSENT_KEY);
  sessionStorage.removeItem(UNSENT_KEY);
  const submission = stored ? (JSON.parse(stored) as PaymentSubmission) : undefined;
  return submission?.userId === userId ? submission : undefined;
};

export interface PaymentFormOptions {
  api: PaymentsApi;
  userId: () => string;
  /** After a payment is stored (or found stored), with its month. */
  onStored: (month: string, message: string) => Promise<void>;
  /** Says what the form is doing (in the page's live status line). */
  status: (message: string) => void;
  /** The session ended under a submission (kept for the next sign-in): says so on the signed-out page. */
  sessionEnded: (note: string) => void;
}

/** A submission kept from the last session, back in the form with a note saying so. */
const restoreUnsent = (unanswered: PaymentSubmission): void => {
  restore(unanswered);
  const note = element('form-note', HTMLParagraphElement);
  note.textContent = `The payment you were adding (${summaryOf(unanswered)}) is back in the form: Add payment sends it.`;
  show(note, true);
};

/** What the form says, as a submission (its id chosen by the caller). */
const formContent = (userId: string): Omit<PaymentSubmission, 'id'> =>
  ({
    userId,
    description: input('description').value,
    amount: input('amount').value.trim(),
    currency: input('currency').value.trim().toUpperCase(),
    timestamp: timestampOf(input('timestamp').value),
  }) as Omit<PaymentSubmission, 'id'>;

type Refusal = Extract<Awaited<ReturnType<typeof submitPayment>>, { kind: 'refused' }>['problem'];

/** The API's problem: beside the fields it names, or above the form when it names none. */
const showRefusal = (problem: Refusal): void => {
  if (problem.errors?.length) showFieldErrors(problem.errors);
  else showFormError(problem.detail ?? problem.title);
};

/** What became of a submission the session's end interrupted; undefined when the session did not end. */
const sessionEndNote = (error: unknown): string | undefined => {
  if (error instanceof NoAccessTokenError) return 'was not sent';
  // An attempt went unanswered before the session ended: it may be stored; its id, kept, finds out.
  if (error instanceof SubmissionFailedError && error.cause instanceof NoAccessTokenError)
    return 'may not have been stored';
  return undefined;
};

/** The form emptied for the next payment, which is likely in the same currency and made now. */
const clearForm = (form: HTMLFormElement, currency: string): void => {
  form.reset();
  input('currency').value = currency;
  input('timestamp').value = localNow();
};

export const wirePaymentForm = ({ api, userId, onStored, status, sessionEnded }: PaymentFormOptions): void => {
  const form = element('add-payment', HTMLFormElement);
  const button = element('add', HTMLButtonElement);
  /** A submission sent without an answer: resent as it is (same id) while the form says the same. */
  let unanswered: PaymentSubmission | undefined = takeUnsent(userId());

  input('timestamp').value = localNow();
  if (unanswered) restoreUnsent(unanswered);

  const keepForNextSignIn = (submission: PaymentSubmission, note: string): void => {
    sessionStorage.setItem(UNSENT_KEY, JSON.stringify(submission));
    sessionEnded(
      `The payment you were adding (${summaryOf(submission)}) ${note}: it is kept, and after you sign in it is back in the form.`,
    );
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // At once, in the submit event: the previous submission's message never stands for this one.
    status('Sending the payment…');
    void (async () => {
      clearErrors();
      const content = formContent(userId());
      const submission: PaymentSubmission =
        unanswered && sameContent(unanswered, content) ? unanswered : { id: crypto.randomUUID(), ...content };
      button.disabled = true;
      try {
        const outcome = await submitPayment(api, submission);
        unanswered = undefined;
        if (outcome.kind === 'refused' && outcome.status === 401) {
          // The API refused the session's token (main.ts has ended the session): nothing was stored.
          status('');
          keepForNextSignIn(submission, 'was not stored');
          return;
        }
        if (outcome.kind === 'refused') {
          status('');
          showRefusal(outcome.problem);
          return;
        }
        clearForm(form, content.currency);
        const { payment } = outcome;
        await onStored(
          payment.timestamp.slice(0, 7),
          `${outcome.replayed ? 'Already stored' : 'Stored'}: ${summaryOf(payment)}.`,
        );
      } catch (error) {
        const ended = sessionEndNote(error);
        if (ended) {
          status('');
          keepForNextSignIn(submission, ended);
          return;
        }
        if (!(error instanceof SubmissionFailedError)) throw error;
        unanswered = submission;
        status('');
        showFormError(
          'The payment could not be sent (no answer). Add payment again to resend it: it is never stored twice.',
        );
      } finally {
        button.disabled = false;
      }
    })();
  });
};
