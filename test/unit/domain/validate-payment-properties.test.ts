import fc from 'fast-check';
import { InvalidJsonError, InvalidPaymentError } from '#domain/errors';
import { validatePaymentSubmission } from '#domain/validate-payment';
import { type BadBody, badBodies, isRealField } from '../../support/bad-bodies';
import { thrownBy } from './thrown';

const NOW = new Date('2026-10-05T12:00:00.000Z');

/** Why a body's outcome breaks the contract, or undefined when it keeps it. */
const breach = (body: BadBody, thrown: unknown): string | undefined => {
  if (body.notJson)
    return thrown instanceof InvalidJsonError && thrown.name === 'InvalidJson'
      ? undefined
      : `expected InvalidJson, got ${String(thrown)}`;
  if (!(thrown instanceof InvalidPaymentError) || thrown.name !== 'InvalidPayment')
    return `expected InvalidPayment, got ${String(thrown)}`;
  const named = thrown.fieldErrors.map((error) => error.field);
  const unreal = named.filter((field) => !isRealField(body, field));
  if (unreal.length > 0) return `names fields the body does not have: ${JSON.stringify(unreal)}`;
  const unnamed = body.mustName.filter((field) => !named.includes(field));
  if (unnamed.length > 0) return `does not name ${JSON.stringify(unnamed)} (named ${JSON.stringify(named)})`;
  if (thrown.fieldErrors.some((error) => typeof error.message !== 'string' || error.message === ''))
    return 'a field error without a message';
  return undefined;
};

describe('validatePaymentSubmission, property-based', () => {
  test('every generated bad body is refused as InvalidJson or InvalidPayment naming its real, spoilt fields', () => {
    fc.assert(
      fc.property(badBodies, (body) => {
        const thrown = thrownBy(() => validatePaymentSubmission(body.text, NOW));
        const why = breach(body, thrown);
        if (why) throw new Error(`${why}\nbody: ${body.text.slice(0, 500)}`);
      }),
      { numRuns: 4_000 },
    );
  });
});
