import type { PaymentsApi } from '#client/payments-api';
import type { components } from '#client/openapi-types';

/**
 * The customer's "what is this?" beside a commitment no integration named (decision 0024): a kind picked here
 * (PUT /commitments/{id}/kind) decides whether and how the commitment reaches a credit file, from the next run.
 */
type Kind = components['schemas']['KindRequest']['kind'];
type ListedCommitment = components['schemas']['CommitmentList']['commitments'][number];

const KINDS = ['rent', 'utility', 'telecom', 'subscription', 'other'] as const satisfies readonly Kind[];
// Fails to compile when the contract gains a kind this list lacks.
const everyKind: Exclude<Kind, (typeof KINDS)[number]> extends never ? true : never = true;

const LABELS: Record<Kind, string> = {
  rent: 'Rent',
  utility: 'Utility (energy, water)',
  telecom: 'Phone or broadband',
  subscription: 'Subscription',
  other: 'Something else',
};

/** Shown only when no integration named the kind: unknown, or the customer's own earlier choice. */
export const wantsKindPicker = (commitment: ListedCommitment): boolean =>
  everyKind &&
  commitment.kindSource !== 'integration' &&
  (commitment.kind === null || commitment.kind === undefined || commitment.kindSource === 'customer');

const answerText = async (api: PaymentsApi, commitmentId: string, kind: Kind): Promise<string> => {
  const { data, error, response } = await api.PUT('/commitments/{id}/kind', {
    params: { path: { id: commitmentId } },
    body: { kind },
  });
  if (data) return `Saved: ${LABELS[data.kind as Kind] ?? data.kind}. Your next monthly report uses it.`;
  const fields = (error?.errors ?? []).map((fieldError) => `${fieldError.field} ${fieldError.message}`).join('; ');
  return `Not saved (${response.status}): ${error?.detail ?? error?.title ?? ''}${fields ? ` (${fields})` : ''}`;
};

export const kindPicker = (api: PaymentsApi, commitment: ListedCommitment): HTMLFormElement => {
  const form = document.createElement('form');
  form.className = 'kind-picker';
  const label = document.createElement('label');
  label.textContent = commitment.kind ? 'What this is: ' : 'What is this? ';
  const select = document.createElement('select');
  select.name = 'kind';
  select.append(
    ...KINDS.map((kind) => {
      const choice = document.createElement('option');
      choice.value = kind;
      choice.textContent = LABELS[kind];
      choice.selected = kind === commitment.kind;
      return choice;
    }),
  );
  label.append(select);
  const save = document.createElement('button');
  save.type = 'submit';
  save.textContent = 'Save';
  const status = document.createElement('span');
  status.setAttribute('role', 'status');
  form.append(label, save, status);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save.disabled = true;
    void answerText(api, commitment.commitmentId, select.value as Kind)
      .catch((error: unknown) => `Not saved: ${(error as Error).message}`)
      .then((text) => {
        status.textContent = text;
        save.disabled = false;
      });
  });
  return form;
};
