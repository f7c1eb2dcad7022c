import type { PaymentsApi, StoredPayment } from '#client/payments-api';
import { element, show, textRow } from './page-elements';
import { dayOf, monthOf } from './month';

/**
 * One month of the signed-in customer: their payments (GET /payments, every page) and the month's report
 * (GET /reports/{month}: built, with the commitments, or not built yet). A month's run reports the customers who paid
 * in it, so a month without their payments has no report to ask for: none is asked (no 404 to show or to log).
 */
export class ApiAnswerError extends Error {
  override readonly name = 'ApiAnswerError';
}

/** Pages of 100, at most 20 of them: 2,000 payments in a month is far beyond any customer's recurring payments. */
const PAGE_SIZE = 100;
const MAX_PAGES = 20;

const paymentsOfMonth = async (
  api: PaymentsApi,
  month: string,
): Promise<{ payments: StoredPayment[]; complete: boolean }> => {
  const payments: StoredPayment[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const { data, error, response } = await api.GET('/payments', {
      params: { query: { month, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
    });
    if (response.status === 404) return { payments, complete: true };
    if (!data) throw new ApiAnswerError(`Payments of ${month}: ${response.status} ${error?.title ?? ''}`.trim());
    payments.push(...data.payments);
    cursor = data.nextCursor;
    if (!cursor) return { payments, complete: true };
  }
  return { payments, complete: false };
};

const showPayments = (month: string, payments: readonly StoredPayment[], complete: boolean): void => {
  const table = element('payments', HTMLTableElement);
  const body = table.tBodies[0] as HTMLTableSectionElement;
  body.replaceChildren(
    ...payments.map((payment) =>
      textRow([
        { text: dayOf(payment.timestamp) },
        { text: payment.description },
        { text: `${payment.amount} ${payment.currency}`, numeric: true },
      ]),
    ),
  );
  element('payments-caption', HTMLTableCaptionElement).textContent = complete
    ? `${payments.length} payment${payments.length === 1 ? '' : 's'} in ${month}, in time order`
    : `The first ${payments.length} payments in ${month}`;
  show(table, payments.length > 0);
  show(element('payments-empty', HTMLParagraphElement), payments.length === 0);
};

/** Why a month shows no report: nothing paid in it, the month not over, or its run not done. */
const noReportReason = (month: string, hasPayments: boolean): string => {
  if (!hasPayments) return `No report for ${month}: you have no payments in it.`;
  if (month >= monthOf(new Date())) {
    return `The report for ${month} is not built yet: the monthly run builds it after the month ends.`;
  }
  return `The report for ${month} is not built yet: the month has ended, and its monthly run has not reported it.`;
};

const showReport = async (api: PaymentsApi, month: string, hasPayments: boolean): Promise<void> => {
  const state = element('report-state', HTMLParagraphElement);
  const table = element('commitments', HTMLTableElement);
  const response = hasPayments ? await api.GET('/reports/{month}', { params: { path: { month } } }) : undefined;
  if (!response || response.response.status === 404) {
    state.textContent = noReportReason(month, hasPayments);
    state.className = 'not-built';
    show(table, false);
    return;
  }
  const { data, error } = response;
  if (!data) throw new ApiAnswerError(`Report of ${month}: ${response.response.status} ${error?.title ?? ''}`.trim());
  state.textContent = `Built ${data.builtAt.slice(0, 16).replace('T', ' ')} UTC from ${data.payments} payment${data.payments === 1 ? '' : 's'}.`;
  state.className = 'built';
  (table.tBodies[0] as HTMLTableSectionElement).replaceChildren(
    ...data.commitments.map((commitment) =>
      textRow([
        { text: commitment.payee },
        { text: `${commitment.amount} ${commitment.currency}`, numeric: true },
        { text: commitment.lastPaidOn },
        { text: String(commitment.streak), numeric: true },
      ]),
    ),
  );
  show(table, data.commitments.length > 0);
};

export const showMonth = async (api: PaymentsApi, month: string): Promise<void> => {
  const { payments, complete } = await paymentsOfMonth(api, month);
  await showReport(api, month, payments.length > 0);
  showPayments(month, payments, complete);
};
