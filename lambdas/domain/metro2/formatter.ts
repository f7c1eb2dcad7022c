import type { FurnishingFormatter, FurnishingViolation } from '#domain/furnishing';
import { type Metro2Account, type Metro2Consumer, accountFromCommitment } from '#domain/metro2/account';
import { lastDayOf } from '#domain/metro2/standing';
import { type Metro2Furnisher, Metro2Trailer, metro2BaseSegment, metro2Header } from '#domain/metro2/records';

/** The bureaus Metro 2's header has a program identifier for: a configured bureau outside them cannot get a file. */
export const METRO2_BUREAUS: readonly Metro2Furnisher['bureau'][] = ['equifax', 'experian', 'transunion', 'innovis'];

export class UnknownMetro2BureauError extends Error {
  constructor(readonly bureau: string) {
    super(`Metro 2 has no program identifier for bureau ${bureau} (known: ${METRO2_BUREAUS.join(', ')})`);
    this.name = 'UnknownMetro2Bureau';
  }
}

export const isMetro2Bureau = (bureau: string): bureau is Metro2Furnisher['bureau'] =>
  (METRO2_BUREAUS as readonly string[]).includes(bureau);

/**
 * furnishBureau's formatter port as Metro 2 (decision 0017): the header dated `today`, one base segment per account the
 * mapping furnishes, the trailer tallied as they are written. Pure.
 */
export const metro2Formatter = (
  furnisher: Metro2Furnisher,
  today: string,
): FurnishingFormatter<Metro2Consumer, Metro2Account> => {
  return {
    header: ({ month }) => metro2Header({ furnisher, activityDate: lastDayOf(month), dateCreated: today }),
    account: (commitment, consumer, month, userId) => accountFromCommitment(commitment, consumer, month, { userId }),
    baseSegment: (account) => metro2BaseSegment(account, furnisher),
    trailer: () => {
      const trailer = new Metro2Trailer();
      return { add: (account) => trailer.add(account), record: () => trailer.record() };
    },
  };
};

/** The base segment's fields that hold a consumer's identity: a violation's message there could quote it. */
const IDENTITY_FIELDS = new Set([
  'surname',
  'firstName',
  'middleName',
  'generationCode',
  'socialSecurityNumber',
  'dateOfBirth',
  'telephoneNumber',
  'countryCode',
  'firstLineOfAddress',
  'secondLineOfAddress',
  'city',
  'state',
  'postalCode',
]);

/** A violation fit for a run summary and an execution's history: on an identity field, the rule without the value. */
export const withoutIdentity = (violation: FurnishingViolation): FurnishingViolation =>
  violation.field !== undefined && IDENTITY_FIELDS.has(violation.field)
    ? { ...violation, message: `breaks ${violation.rule} (an identity field: its value is not repeated here)` }
    : violation;
