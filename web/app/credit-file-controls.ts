import type { PaymentsApi } from '#client/payments-api';
import type { components } from '#client/openapi-types';
import { consentToggle } from './consent-toggle';
import { monthDisputes } from './month-disputes';

/**
 * The customer's say over their credit file, added to each listed commitment: its consent switch and its months to
 * dispute with their disputes' states (one GET /disputes for all of them).
 */
type ListedCommitment = components['schemas']['CommitmentList']['commitments'][number];

export const addCreditFileControls = async (
  api: PaymentsApi,
  list: HTMLElement,
  commitments: readonly ListedCommitment[],
  nameOf: (commitment: ListedCommitment) => string,
): Promise<void> => {
  const disputes = await api.GET('/disputes').then(
    ({ data }) => data?.disputes,
    () => undefined,
  );
  for (const commitment of commitments) {
    const item = [...list.querySelectorAll<HTMLElement>('li.commitment')].find(
      (candidate) => candidate.dataset.commitmentId === commitment.commitmentId,
    );
    item?.append(
      consentToggle(api, commitment.commitmentId, nameOf(commitment)),
      monthDisputes(api, commitment, nameOf(commitment), disputes),
    );
  }
};
