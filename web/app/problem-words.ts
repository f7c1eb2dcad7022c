import type { Problem } from '#client/payments-api';

/**
 * An API refusal in one line for the customer: what did not happen, the status, the problem's detail (else its title)
 * and each field it names. Pure.
 */
export const problemText = (failed: string, status: number, problem: Partial<Problem> | undefined): string => {
  const fields = (problem?.errors ?? []).map(({ field, message }) => `${field} ${message}`).join('; ');
  const said = problem?.detail ?? problem?.title ?? 'no answer';
  return `${failed} (${status}): ${said}${fields ? ` (${fields})` : ''}`;
};
