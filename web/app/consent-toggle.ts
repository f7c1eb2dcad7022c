import type { PaymentsApi, Problem } from '#client/payments-api';
import { CONSENT_MEANING, type CommitmentConsent, consentStateText } from './consent-words';
import { freshId, show } from './page-elements';
import { problemText } from './problem-words';

/**
 * A commitment's "Report to my credit file" switch (PUT/GET /commitments/{id}/consent): it shows the stored state, and
 * a change shows what the API stored, or the problem's detail with the switch back where it was.
 */
interface Answer {
  data?: CommitmentConsent;
  error?: Partial<Problem>;
  response: Response;
}

const parts = (name: string) => {
  const box = document.createElement('div');
  box.className = 'consent';
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.setAttribute('role', 'switch');
  input.id = freshId('consent');
  input.disabled = true;
  const label = document.createElement('label');
  label.htmlFor = input.id;
  label.textContent = 'Report to my credit file';
  const whose = document.createElement('span');
  whose.className = 'visually-hidden';
  whose.textContent = ` (${name})`;
  label.append(whose);
  const meaning = document.createElement('p');
  meaning.className = 'consent-meaning';
  meaning.id = freshId('consent-meaning');
  meaning.textContent = CONSENT_MEANING;
  const state = document.createElement('p');
  state.className = 'consent-state';
  state.id = freshId('consent-state');
  state.setAttribute('aria-live', 'polite');
  const problem = document.createElement('p');
  problem.className = 'field-error consent-error';
  problem.setAttribute('role', 'alert');
  problem.hidden = true;
  input.setAttribute('aria-describedby', `${meaning.id} ${state.id}`);
  box.append(input, label, meaning, state, problem);
  return { box, input, state, problem };
};

/** The switch of one commitment, loading its state (GET) at once; `name` says which commitment to a screen reader. */
export const consentToggle = (api: PaymentsApi, commitmentId: string, name: string): HTMLElement => {
  const { box, input, state, problem } = parts(name);
  let stored: CommitmentConsent | undefined;
  /** The stored state, and the problem of the last call if it failed (the switch back at the stored state). */
  const render = (failure?: string): void => {
    input.checked = stored?.consent.report ?? false;
    input.disabled = stored === undefined;
    state.textContent = stored ? consentStateText(stored) : '';
    problem.textContent = failure ?? '';
    show(problem, failure !== undefined);
  };
  /** A call's two ends: the answer shown, or `failed` and why. */
  const outcome = (failed: string) =>
    [
      (answer: Answer): void => {
        if (answer.data) stored = answer.data;
        render(answer.data ? undefined : problemText(failed, answer.response.status, answer.error));
      },
      (error: unknown): void => render(`${failed}: ${(error as Error).message}`),
    ] as const;
  const params = { params: { path: { id: commitmentId } } };
  api.GET('/commitments/{id}/consent', params).then(...outcome('Your choice did not load'));
  input.addEventListener('change', () => {
    input.disabled = true;
    state.textContent = 'Saving…';
    api
      .PUT('/commitments/{id}/consent', { ...params, body: { report: input.checked } })
      .then(...outcome('Not changed'));
  });
  return box;
};
