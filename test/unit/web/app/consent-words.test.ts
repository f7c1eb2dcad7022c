import { consentStateText } from '#web/app/consent-words';

/** A commitment's consent to the credit file in words (web/app/consent-words.ts): on or off, since when. */
describe('a consent in words', () => {
  test.each([
    [true, '2026-12-06T07:10:00.000Z', 'On since 2026-12-06: included from the next monthly report.'],
    [false, '2026-12-07T07:10:00.000Z', 'Off since 2026-12-07: not sent from the next monthly report.'],
    [false, null, 'Off: not sent to your credit file.'],
    [true, null, 'On (the default): included in the monthly reports.'],
  ] as const)('report %s, changed at %s', (report, changedAt, said) => {
    expect(consentStateText({ consent: { report, changedAt } })).toBe(said);
  });
});
