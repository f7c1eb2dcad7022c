import type { PaymentsApi } from '#client/payments-api';
import type { components } from '#client/openapi-types';
import { addCreditFileControls } from './credit-file-controls';
import { historyStrip } from './history-strip';
import { kindPicker, wantsKindPicker } from './kind-picker';
import { element, show } from './page-elements';
import { problemText } from './problem-words';

/**
 * The customer's commitments (GET /commitments): each with its 24-month history strip, and the two
 * corrections a customer can make (POST /commitments/corrections): merge two commitments into one,
 * move a payment to another commitment or a new one. Everything from the API goes in as text.
 */
type CommitmentList = components['schemas']['CommitmentList'];
type ListedCommitment = CommitmentList['commitments'][number];
type CorrectionRequest = components['schemas']['CorrectionRequest'];

export class CommitmentsAnswerError extends Error {
  override readonly name = 'CommitmentsAnswerError';
}

const nameOf = (commitment: ListedCommitment): string =>
  `${commitment.payee ?? commitment.commitmentId} (${commitment.currency})`;

const option = (value: string, text: string): HTMLOptionElement => {
  const choice = document.createElement('option');
  choice.value = value;
  choice.textContent = text;
  return choice;
};

const commitmentItem = (commitment: ListedCommitment): HTMLLIElement => {
  const item = document.createElement('li');
  item.className = 'commitment';
  item.dataset.commitmentId = commitment.commitmentId;
  const heading = document.createElement('h3');
  heading.textContent = nameOf(commitment);
  const facts = document.createElement('p');
  facts.className = 'commitment-facts';
  const streak = commitment.streak ?? 0;
  facts.textContent = [
    commitment.amount ? `${commitment.amount} ${commitment.currency}` : undefined,
    commitment.dueDay ? `due on day ${commitment.dueDay}` : undefined,
    `streak ${streak} month${streak === 1 ? '' : 's'}`,
    commitment.mergedFrom?.length ? `merged with ${commitment.mergedFrom.length} more` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  item.append(heading, facts);
  if (commitment.history?.length) item.append(historyStrip(commitment.history, commitment.reversedMonths ?? []));
  return item;
};

const fillActions = (commitments: readonly ListedCommitment[]): void => {
  const choices = () => commitments.map((c) => option(c.commitmentId, nameOf(c)));
  element('merge-from', HTMLSelectElement).replaceChildren(...choices());
  element('merge-into', HTMLSelectElement).replaceChildren(...choices().reverse());
  element('move-payment', HTMLSelectElement).replaceChildren(
    ...commitments.flatMap((c) =>
      (c.payments ?? []).map((payment) =>
        option(
          payment.id,
          `${payment.localDate ?? payment.timestamp.slice(0, 10)} ${payment.amount ?? ''} ${nameOf(c)}`,
        ),
      ),
    ),
  );
  element('move-into', HTMLSelectElement).replaceChildren(...choices(), option('new', 'A new commitment'));
  show(element('merge-form', HTMLFormElement), commitments.length > 1);
  show(
    element('move-form', HTMLFormElement),
    commitments.some((c) => (c.payments ?? []).length > 0),
  );
};

export const showCommitments = async (api: PaymentsApi): Promise<void> => {
  const { data, error, response } = await api.GET('/commitments');
  if (!data) throw new CommitmentsAnswerError(`Commitments: ${response.status} ${error?.title ?? ''}`.trim());
  const list = element('commitment-list', HTMLUListElement);
  list.replaceChildren(
    ...data.commitments.map((commitment) => {
      const item = commitmentItem(commitment);
      if (wantsKindPicker(commitment)) item.append(kindPicker(api, commitment));
      return item;
    }),
  );
  await addCreditFileControls(api, list, data.commitments, nameOf);
  element('commitments-state', HTMLParagraphElement).textContent = data.month
    ? `From your report for ${data.month}` +
      (data.pendingCorrections > 0
        ? `, with ${data.pendingCorrections} correction${data.pendingCorrections === 1 ? '' : 's'} the next report run will include.`
        : '.')
    : 'No report yet: your commitments show once the monthly run has built your first report.';
  fillActions(data.commitments);
};

/** Sends a correction; the answer's problem (its fields named) is said in the status line. */
const sendCorrection = async (api: PaymentsApi, body: CorrectionRequest): Promise<string> => {
  const { data, error, response } = await api.POST('/commitments/corrections', { body });
  if (data) return `Done. Your reports from ${data.rebuildFrom} on are rebuilt by the next monthly run.`;
  return problemText('Not done', response.status, error);
};

export const wireCorrections = (api: PaymentsApi, status: (message: string) => void): void => {
  const submitted = (form: HTMLFormElement, body: () => CorrectionRequest) =>
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        const message = await sendCorrection(api, body());
        await showCommitments(api);
        status(message);
      })().catch((error: unknown) => status(`The correction was not sent: ${(error as Error).message}`));
    });
  submitted(element('merge-form', HTMLFormElement), () => ({
    kind: 'merge',
    from: element('merge-from', HTMLSelectElement).value,
    into: element('merge-into', HTMLSelectElement).value,
  }));
  submitted(element('move-form', HTMLFormElement), () => ({
    kind: 'move',
    paymentId: element('move-payment', HTMLSelectElement).value,
    into: element('move-into', HTMLSelectElement).value,
  }));
};
