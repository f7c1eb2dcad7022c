import type { FurnishingFormatter, FurnishingViolation } from '#domain/furnishing';
import type { AssemblePorts, PartFormatter } from '#domain/furnishing-parts';
import { type Metro2Account, type Metro2Consumer, accountFromCommitment } from '#domain/metro2/account';
import { lastDayOf } from '#domain/metro2/standing';
import { validateMetro2Assembly } from '#domain/metro2/validate';
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

/** A bureau's furnisher fields (the handler's furnisherFor): the one thing a bureau changes in a base segment. */
export type FurnisherOf = (bureau: string) => Metro2Furnisher;

/** The shard step's formatter (decision 0023): one account per commitment, its base segment for each bureau. Pure. */
export const metro2PartFormatter = (furnisherOf: FurnisherOf): PartFormatter<Metro2Consumer, Metro2Account> => ({
  account: (commitment, consumer, month, userId) => accountFromCommitment(commitment, consumer, month, { userId }),
  baseSegment: (account, bureau) => metro2BaseSegment(account, furnisherOf(bureau)),
  tally: () => {
    const trailer = new Metro2Trailer();
    return { add: (account) => trailer.add(account), totals: () => trailer.totals() };
  },
});

/** The assemble step's header, trailer (from the parts' summed totals) and envelope check, dated `today`. */
export const metro2Assembly = (furnisherOf: FurnisherOf, today: string): Omit<AssemblePorts, 'assembler'> => ({
  header: ({ month, bureau }) =>
    metro2Header({ furnisher: furnisherOf(bureau), activityDate: lastDayOf(month), dateCreated: today }),
  trailer: (totals) => Metro2Trailer.fromTotals(totals).record(),
  validateAssembly: (assembly) => validateMetro2Assembly(assembly, { today }),
});

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
