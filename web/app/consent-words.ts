import type { components } from '#client/openapi-types';

/** What the web app says of a commitment's consent to the credit file (decisions/0021), pure. */
export type CommitmentConsent = components['schemas']['CommitmentConsent'];

/** What opting in means, in one sentence, beside every toggle. */
export const CONSENT_MEANING =
  'Opted in, this commitment is sent to the credit reference agencies from the next monthly report; turning it off ' +
  'stops future reports, and months already sent are not rewritten.';

/** The stored consent in words: on or off, and since when (or that it is the default, never changed). */
export const consentStateText = ({ consent }: Pick<CommitmentConsent, 'consent'>): string => {
  const since = consent.changedAt === null ? undefined : consent.changedAt.slice(0, 10);
  if (consent.report)
    return since
      ? `On since ${since}: included from the next monthly report.`
      : 'On (the default): included in the monthly reports.';
  return since ? `Off since ${since}: not sent from the next monthly report.` : 'Off: not sent to your credit file.';
};
