import type { PaymentsApi } from '#client/payments-api';
import type { components } from '#client/openapi-types';
import {
  DISPUTE_REASONS,
  type Dispute,
  type DisputeReason,
  REASON_WORDS,
  disputeOfMonth,
  disputeStateText,
} from './dispute-words';
import { STATUS_WORDS } from './history-text';
import { element, freshId, show } from './page-elements';
import { problemText } from './problem-words';

/**
 * "Dispute this month" beside each month of a commitment's history strip (POST /disputes), and each disputed month's
 * state and outcome (GET /disputes): the months with a dispute are listed under the strip; the months themselves, each
 * with its button and, when opened, a small form (a reason from the API's list, the customer's words), under a
 * disclosure so that 24 rows do not crowd the page.
 */
type ListedCommitment = components['schemas']['CommitmentList']['commitments'][number];

interface Context {
  api: PaymentsApi;
  commitment: ListedCommitment;
  /** The commitment as a person reads it ("PUREGYM LTD (GBP)"), for the buttons' names. */
  name: string;
}

const paragraph = (className: string, text = ''): HTMLParagraphElement => {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
};

/** The months with a dispute, each with its state: shown whether or not the months' list is open. */
const disputeStates = (context: Context, disputes: readonly Dispute[]): HTMLUListElement => {
  const list = document.createElement('ul');
  list.className = 'dispute-states';
  list.setAttribute('aria-label', `Disputes of ${context.name}`);
  for (const { month } of context.commitment.history ?? []) {
    const dispute = disputeOfMonth(disputes, context.commitment, month);
    if (!dispute) continue;
    const item = document.createElement('li');
    item.dataset.month = month;
    item.dataset.state = dispute.state;
    item.tabIndex = -1;
    item.textContent = `${month}: ${disputeStateText(dispute)}`;
    list.append(item);
  }
  show(list, list.childElementCount > 0);
  return list;
};

const reasonOptions = (): HTMLOptionElement[] =>
  DISPUTE_REASONS.map((reason) => {
    const option = document.createElement('option');
    option.value = reason;
    option.textContent = REASON_WORDS[reason];
    return option;
  });

/** The small form of one month, from the page's template (its text bounded as the API bounds it). */
const disputeForm = (context: Context, month: string, done: (filed?: Dispute) => void): HTMLFormElement => {
  const template = element('dispute-form-template', HTMLTemplateElement);
  const form = template.content.firstElementChild?.cloneNode(true);
  if (!(form instanceof HTMLFormElement)) throw new Error('The dispute form template holds no form');
  form.id = freshId('dispute-form');
  const reason = form.elements.namedItem('reason') as HTMLSelectElement;
  const text = form.elements.namedItem('text') as HTMLTextAreaElement;
  const problem = form.querySelector('.form-error') as HTMLParagraphElement;
  reason.replaceChildren(...reasonOptions());
  form.querySelector('legend')!.textContent = `Dispute ${month} of ${context.name}`;
  form.querySelector('.dispute-cancel')!.addEventListener('click', () => done());
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') done();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = {
      commitmentId: context.commitment.commitmentId,
      month,
      reason: reason.value as DisputeReason,
      text: text.value,
    };
    void context.api.POST('/disputes', { body }).then(
      (answer) => {
        if (answer.data) return done(answer.data);
        problem.textContent = problemText('Not filed', answer.response.status, answer.error);
        show(problem, true);
        text.focus();
      },
      (error: unknown) => {
        problem.textContent = `Not filed: ${(error as Error).message}`;
        show(problem, true);
      },
    );
  });
  return form;
};

/** A button whose visible words are `words`, its name also saying `more` (which month, which commitment). */
const namedButton = (words: string, more: string): HTMLButtonElement => {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = words;
  const hidden = document.createElement('span');
  hidden.className = 'visually-hidden';
  hidden.textContent = ` (${more})`;
  button.append(hidden);
  return button;
};

/** One month of the strip: its status, and its dispute's state or the button that opens its form. */
const monthRow = (
  context: Context,
  { month, status }: { month: string; status: keyof typeof STATUS_WORDS },
  dispute: Dispute | undefined,
  filed: (month: string) => void,
): HTMLLIElement => {
  const row = document.createElement('li');
  row.dataset.month = month;
  row.append(paragraph('dispute-month', `${month}: ${STATUS_WORDS[status]}`));
  if (dispute?.state === 'open') {
    row.append(paragraph('dispute-month-state', 'Dispute open'));
    return row;
  }
  const button = namedButton('Dispute this month', `${month}, ${context.name}`);
  button.setAttribute('aria-expanded', 'false');
  let form: HTMLFormElement | undefined;
  const close = (dispute?: Dispute): void => {
    form?.remove();
    form = undefined;
    button.setAttribute('aria-expanded', 'false');
    if (dispute) filed(month);
    else button.focus();
  };
  button.addEventListener('click', () => {
    if (form) return close();
    form = disputeForm(context, month, close);
    button.setAttribute('aria-controls', form.id);
    button.setAttribute('aria-expanded', 'true');
    row.append(form);
    (form.elements.namedItem('reason') as HTMLSelectElement).focus();
  });
  row.append(button);
  return row;
};

/** The 24 months, each with its button, under a disclosure (keyboard usable as the browser makes it). */
const monthsDisclosure = (
  context: Context,
  disputes: readonly Dispute[],
  filed: (month: string) => void,
): HTMLDetailsElement => {
  const details = document.createElement('details');
  details.className = 'dispute-months';
  const summary = document.createElement('summary');
  summary.textContent = 'Dispute a month';
  const whose = document.createElement('span');
  whose.className = 'visually-hidden';
  whose.textContent = ` of ${context.name}`;
  summary.append(whose);
  const rows = document.createElement('ol');
  rows.append(
    ...(context.commitment.history ?? []).map((entry) =>
      monthRow(context, entry, disputeOfMonth(disputes, context.commitment, entry.month), filed),
    ),
  );
  details.append(summary, rows);
  return details;
};

/**
 * A commitment's disputes and its months to dispute, from the customer's disputes as GET /disputes gave them
 * (undefined: they did not load, said so). A filed dispute reloads them, and focus goes to the month's new state.
 */
export const monthDisputes = (
  api: PaymentsApi,
  commitment: ListedCommitment,
  name: string,
  disputes: readonly Dispute[] | undefined,
): HTMLElement => {
  const context: Context = { api, commitment, name };
  const section = document.createElement('div');
  section.className = 'month-disputes';
  const message = paragraph(
    'dispute-message',
    disputes ? '' : 'Your disputes did not load: reload the page to see them.',
  );
  message.setAttribute('role', 'status');
  const build = (held: readonly Dispute[], open: boolean): void => {
    const months = monthsDisclosure(context, held, (month) => void filed(month));
    months.open = open;
    // A commitment without a history (a report built before histories) has no month to dispute.
    show(months, (commitment.history ?? []).length > 0);
    section.replaceChildren(disputeStates(context, held), months, message);
  };
  const filed = async (month: string): Promise<void> => {
    const { data, response } = await api.GET('/disputes');
    if (!data) {
      message.textContent = `Your dispute of ${month} is filed; the list did not reload (${response.status}).`;
      return;
    }
    build(data.disputes, true);
    message.textContent = `Your dispute of ${month} is filed.`;
    section.querySelector<HTMLElement>(`.dispute-states li[data-month="${month}"]`)?.focus();
  };
  build(disputes ?? [], false);
  return section;
};
