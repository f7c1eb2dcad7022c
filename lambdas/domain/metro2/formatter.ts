import type { FurnishingFormatter } from '#domain/furnishing';
import { type Metro2Account, type Metro2Consumer, accountFromCommitment } from '#domain/metro2/account';
import { type Metro2Furnisher, Metro2Trailer, metro2BaseSegment, metro2Header } from '#domain/metro2/records';
import { lastDayOf } from '#domain/metro2/standing';

/**
 * The Metro 2 implementation of furnishBureau's formatter port: the mapping (account.ts), the
 * records (records.ts) and the trailer tallied as bases are written. Pure. `furnisherFor` gives the
 * furnisher as the receiving bureau knows it (its program identifier); `dateCreated` is the run's date.
 */
export const metro2Formatter = (
  furnisherFor: (bureau: string) => Metro2Furnisher,
  dateCreated: string,
): FurnishingFormatter<Metro2Consumer, Metro2Account> => {
  let furnisher: Metro2Furnisher | undefined;
  return {
    header: ({ month, bureau }) => {
      furnisher = furnisherFor(bureau);
      return metro2Header({ furnisher, activityDate: lastDayOf(month), dateCreated });
    },
    account: (commitment, consumer, month, userId) => accountFromCommitment(commitment, consumer, month, { userId }),
    baseSegment: (account) => {
      if (!furnisher) throw new RangeError('The header is written first: it names the bureau');
      return metro2BaseSegment(account, furnisher);
    },
    trailer: () => new Metro2Trailer(),
  };
};
