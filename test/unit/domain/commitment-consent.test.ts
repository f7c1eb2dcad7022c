import {
  type ConsentChange,
  InvalidConsentError,
  consentChange,
  consentOf,
  isOptedIn,
  parseConsentRequest,
  withConsent,
} from '#domain/commitment-consent';
import { InvalidJsonError } from '#domain/errors';
import type { MonthlyReport } from '#domain/report';

const USER = '6f1e0d3c-2b4a-4c5d-8e9f-0a1b2c3d4e5f';
const ask = (commitmentId: string, report: boolean, at: string) => ({
  commitmentId,
  report,
  at,
  by: USER,
  clientId: 'local-user-app',
});

/** Applies each choice in turn to the kept changes, as the PUT route does: what it keeps, in order. */
const kept = (choices: ReturnType<typeof ask>[], byDefault: boolean): ConsentChange[] =>
  choices.reduce<ConsentChange[]>((changes, choice) => {
    const change = consentChange(changes, choice, byDefault);
    return change ? [...changes, change] : changes;
  }, []);

describe('consent per commitment', () => {
  test('a commitment never changed has the stage default, with no change time', () => {
    expect(consentOf([], 'GBP#gym', false)).toEqual({ report: false, changedAt: null });
    expect(consentOf([], 'GBP#gym', true)).toEqual({ report: true, changedAt: null });
  });

  test('each change is appended with from and to; the same choice again keeps nothing', () => {
    const changes = kept(
      [
        ask('GBP#gym', true, '2026-11-01T10:00:00.000Z'),
        ask('GBP#gym', true, '2026-11-02T10:00:00.000Z'),
        ask('GBP#phone', false, '2026-11-03T10:00:00.000Z'),
        ask('GBP#gym', false, '2026-11-04T10:00:00.000Z'),
      ],
      false,
    );
    expect(changes.map(({ commitmentId, from, to, at }) => [commitmentId, from, to, at])).toEqual([
      ['GBP#gym', false, true, '2026-11-01T10:00:00.000Z'],
      ['GBP#gym', true, false, '2026-11-04T10:00:00.000Z'],
    ]);
    expect(changes.every((change) => change.by === USER && change.clientId === 'local-user-app')).toBe(true);
    expect(consentOf(changes, 'GBP#gym', false)).toEqual({ report: false, changedAt: '2026-11-04T10:00:00.000Z' });
    // Opted in by default: opting out is the first change.
    expect(kept([ask('GBP#gym', false, '2026-11-01T10:00:00.000Z')], true)).toEqual([
      expect.objectContaining({ from: true, to: false }),
    ]);
  });

  test('the latest change wins whatever order the records are read in', () => {
    const changes = kept(
      [ask('GBP#gym', true, '2026-11-01T10:00:00.000Z'), ask('GBP#gym', false, '2026-11-04T10:00:00.000Z')],
      false,
    );
    expect(consentOf([...changes].reverse(), 'GBP#gym', false).report).toBe(false);
  });

  test('a report carries each commitment consent; only opted-in ones are for a bureau', () => {
    const report = {
      userId: USER,
      month: '2026-11',
      commitments: [{ commitmentId: 'GBP#gym' }, { commitmentId: 'GBP#phone' }],
    } as unknown as MonthlyReport;
    const changes = kept([ask('GBP#gym', true, '2026-11-01T10:00:00.000Z')], false);
    const built = withConsent(report, changes, false);
    expect(built.commitments.map((commitment) => commitment.consent)).toEqual([
      { report: true, changedAt: '2026-11-01T10:00:00.000Z' },
      { report: false, changedAt: null },
    ]);
    expect(built.commitments.filter(isOptedIn).map(({ commitmentId }) => commitmentId)).toEqual(['GBP#gym']);
    // A report built before consent was kept is never given to a bureau.
    expect(isOptedIn({})).toBe(false);
  });

  test('the body is {"report": true|false}; anything else names the field', () => {
    expect(parseConsentRequest('{"report":true}')).toEqual({ report: true });
    expect(parseConsentRequest('{"report":false}')).toEqual({ report: false });
    const fieldsOf = (body: string) => {
      try {
        parseConsentRequest(body);
      } catch (error) {
        if (error instanceof InvalidConsentError) return error.fieldErrors.map(({ field }) => field);
        throw error;
      }
      return [];
    };
    expect(fieldsOf('{}')).toEqual(['report']);
    expect(fieldsOf('{"report":"yes"}')).toEqual(['report']);
    expect(fieldsOf('{"report":1}')).toEqual(['report']);
    expect(fieldsOf('{"report":true,"extra":1}')).toEqual(['extra']);
    // JSON but not an acceptable object: a 400 naming the field, not a 500.
    expect(fieldsOf('[true]')).toEqual(['(body)']);
    expect(fieldsOf('{"report":true,"report":false}')).toContain('report');
    expect(() => parseConsentRequest('not json')).toThrow(InvalidJsonError);
    expect(() => parseConsentRequest(null)).toThrow(InvalidJsonError);
  });
});
