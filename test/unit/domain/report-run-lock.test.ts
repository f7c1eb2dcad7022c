import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MONTHLY_REPORT_WORKFLOW } from '#contract/workflows';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { ReportRunInProgressError } from '#domain/errors';
import {
  HOLDER_NOT_FOUND_GRACE_SECONDS,
  type HolderStatus,
  REPORT_RUN_MAX_SECONDS,
  type RunLock,
  acquireRunLock,
  newLock,
  releasedLock,
} from '#domain/report-run-lock';

const MONTH = '2026-10';
const ME = 'arn:aws:states:eu-west-2:123456789012:execution:MonthlyReport:me';
const OTHER = 'arn:aws:states:eu-west-2:123456789012:execution:MonthlyReport:other';
const NOW = new Date('2026-11-01T02:00:00.000Z');

/** The lock store's conditions, in memory: free, released, past its lease, one's own, or exactly `replacing`. */
const memoryLocks = (initial?: RunLock) => {
  let stored = initial;
  const puts: RunLock[] = [];
  return {
    current: () => stored,
    puts,
    put: async (lock: RunLock, replacing?: RunLock) => {
      const free =
        stored === undefined ||
        (replacing
          ? stored.holder === replacing.holder && stored.takenAt === replacing.takenAt
          : stored.releasedAt !== undefined || stored.leaseExpiresAt < lock.takenAt || stored.holder === lock.holder);
      if (!free) return { taken: false as const, current: stored as RunLock };
      stored = lock;
      puts.push(lock);
      return { taken: true as const };
    },
  };
};

const acquire = (locks: ReturnType<typeof memoryLocks>, status: HolderStatus, now = NOW) =>
  acquireRunLock({ put: locks.put, holderStatus: async () => status, now: () => now }, MONTH, ME);

describe('acquireRunLock', () => {
  test('a free month is taken, with a lease of the run’s longest life', async () => {
    const locks = memoryLocks();
    await expect(acquire(locks, 'UNKNOWN')).resolves.toEqual({
      month: MONTH,
      holder: ME,
      takenAt: NOW.toISOString(),
      leaseExpiresAt: new Date(NOW.getTime() + REPORT_RUN_MAX_SECONDS * 1000).toISOString(),
    });
  });

  test('a released month, and one already held by this run (a retried StartReportRun), are taken', async () => {
    const released = memoryLocks(releasedLock(MONTH, OTHER, '2026-11-01T01:00:00.000Z', NOW));
    await expect(acquire(released, 'RUNNING')).resolves.toMatchObject({ holder: ME });
    const mine = memoryLocks(newLock(MONTH, ME, new Date('2026-11-01T01:59:00.000Z')));
    await expect(acquire(mine, 'RUNNING')).resolves.toMatchObject({ holder: ME });
  });

  test.each<HolderStatus>(['RUNNING', 'UNKNOWN'])(
    'a holder that is %s keeps the month: ReportRunInProgress naming it, its lock untouched',
    async (status) => {
      const held = newLock(MONTH, OTHER, new Date('2026-11-01T01:00:00.000Z'));
      const locks = memoryLocks(held);
      const refusal = acquire(locks, status);
      await expect(refusal).rejects.toBeInstanceOf(ReportRunInProgressError);
      await expect(refusal).rejects.toThrow(
        `Another report run of ${MONTH} is in progress: ${OTHER} (since 2026-11-01T01:00:00.000Z)`,
      );
      expect(locks.current()).toBe(held);
    },
  );

  test('a holder that has ended (however) is taken over at once', async () => {
    const locks = memoryLocks(newLock(MONTH, OTHER, new Date('2026-11-01T01:59:59.000Z')));
    await expect(acquire(locks, 'ENDED')).resolves.toMatchObject({ holder: ME });
    expect(locks.current()?.holder).toBe(ME);
  });

  test('a holder not found is respected for the grace (its record may not be visible yet), then taken over', async () => {
    const takenAt = new Date(NOW.getTime() - HOLDER_NOT_FOUND_GRACE_SECONDS * 1000);
    await expect(acquire(memoryLocks(newLock(MONTH, OTHER, takenAt)), 'NOT_FOUND')).rejects.toThrow(
      ReportRunInProgressError,
    );
    const older = new Date(takenAt.getTime() - 1);
    await expect(acquire(memoryLocks(newLock(MONTH, OTHER, older)), 'NOT_FOUND')).resolves.toMatchObject({
      holder: ME,
    });
  });

  test('a holder no one can ask about is respected until its lease ends, then the month is free', async () => {
    const held = newLock(MONTH, OTHER, new Date(NOW.getTime() - REPORT_RUN_MAX_SECONDS * 1000 + 1));
    await expect(acquire(memoryLocks(held), 'UNKNOWN')).rejects.toThrow(ReportRunInProgressError);
    const later = new Date(NOW.getTime() + 2);
    await expect(acquire(memoryLocks(held), 'UNKNOWN', later)).resolves.toMatchObject({ holder: ME });
  });

  test('two runs taking over the same ended holder: the one that loses the race is refused, naming the winner', async () => {
    const locks = memoryLocks(newLock(MONTH, OTHER, new Date('2026-11-01T01:00:00.000Z')));
    const winner = 'arn:aws:states:eu-west-2:123456789012:execution:MonthlyReport:winner';
    let racedOnce = false;
    const racing = {
      ...locks,
      put: async (lock: RunLock, replacing?: RunLock) => {
        if (replacing && !racedOnce) {
          racedOnce = true;
          await locks.put(newLock(MONTH, winner, NOW), replacing);
        }
        return locks.put(lock, replacing);
      },
    };
    const statusOf = async (arn: string): Promise<HolderStatus> => (arn === winner ? 'RUNNING' : 'ENDED');

    await expect(
      acquireRunLock({ put: racing.put, holderStatus: statusOf, now: () => NOW }, MONTH, ME),
    ).rejects.toThrow(`in progress: ${winner}`);
  });
});

test("the lease is the monthly-report state machine's TimeoutSeconds: no run outlives it", () => {
  const definition = JSON.parse(
    readFileSync(path.join(REPOSITORY_ROOT, MONTHLY_REPORT_WORKFLOW.definitionFile), 'utf8'),
  ) as { TimeoutSeconds: number };
  expect(definition.TimeoutSeconds).toBe(REPORT_RUN_MAX_SECONDS);
});
