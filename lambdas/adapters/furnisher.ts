import { ENV } from '#contract/environment';
import { UnknownMetro2BureauError, isMetro2Bureau } from '#domain/metro2/formatter';
import type { Metro2Furnisher } from '#domain/metro2/records';

/** Until a stage is enrolled with the bureaus, its files carry this Identification Number (a stage setting). */
const UNENROLLED_FURNISHER_ID = 'PAYMENTSTRACKER';

/** Who sends the files: the stage's Identification Number, the same at every bureau; each bureau's program id. */
export const furnisherFor = (bureau: string, env: NodeJS.ProcessEnv = process.env): Metro2Furnisher => {
  if (!isMetro2Bureau(bureau)) throw new UnknownMetro2BureauError(bureau);
  const identificationNumber = env[ENV.furnisherId] || UNENROLLED_FURNISHER_ID;
  return {
    identificationNumber,
    reporterName: 'PAYMENTS TRACKER',
    reporterAddress: 'PAYMENTS TRACKER LTD, LONDON',
    bureau,
    programIdentifier: identificationNumber.slice(0, bureau === 'experian' ? 5 : 10),
    softwareVersion: '1',
  };
};
