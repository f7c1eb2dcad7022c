import { ReportRunInProgressError } from '#domain/errors';

/**
 * One report run of a month at a time: the run holds the month's lock from StartReportRun to
 * WriteSummary. Pure: the lock's store and the holder's status are ports the handler passes in.
 */

/** The month's lock item (docs/data-model.md): who holds it, since when, until when at the latest. */
export interface RunLock {
  month: string;
  /** The holding execution's ARN. */
  holder: string;
  takenAt: string;
  /** After this, the lock is free whatever the holder's status: no run outlives its execution timeout. */
  leaseExpiresAt: string;
  /** Set by the holder's WriteSummary: the month is free. */
  releasedAt?: string;
}

/**
 * A run's longest life: the monthly-report state machine's TimeoutSeconds (a unit test holds the
 * ASL to it). Step Functions ends every execution by then, so a lock older than this has no holder.
 */
export const REPORT_RUN_MAX_SECONDS = 21_600;

/**
 * What the workflow service says of a holder: still running, ended (any way), not found (no such
 * execution, or no longer: AWS keeps an ended one 90 days), or not known (the service did not answer).
 */
export type HolderStatus = 'RUNNING' | 'ENDED' | 'NOT_FOUND' | 'UNKNOWN';

/**
 * A holder not found this long after it took the month is gone (its records were wiped, or it
 * ended long ago). Sooner, it may be an execution whose record is not visible yet: respected.
 */
export const HOLDER_NOT_FOUND_GRACE_SECONDS = 30;

const hasEnded = (status: HolderStatus, lock: RunLock, now: Date): boolean =>
  status === 'ENDED' ||
  (status === 'NOT_FOUND' && now.getTime() - Date.parse(lock.takenAt) > HOLDER_NOT_FOUND_GRACE_SECONDS * 1000);

export interface RunLockPorts {
  /**
   * Puts `lock` if the month is free (no lock, released, lease over) or already this holder's, or,
   * with `replacing`, if the lock is still exactly that one. Answers the lock found instead.
   */
  put: (lock: RunLock, replacing?: RunLock) => Promise<{ taken: true } | { taken: false; current: RunLock }>;
  holderStatus: (executionArn: string) => Promise<HolderStatus>;
  now: () => Date;
}

export const newLock = (month: string, holder: string, now: Date): RunLock => ({
  month,
  holder,
  takenAt: now.toISOString(),
  leaseExpiresAt: new Date(now.getTime() + REPORT_RUN_MAX_SECONDS * 1000).toISOString(),
});

/** The refusal's text: which execution holds the month, and until when at the latest. */
export const inProgressMessage = (current: RunLock): string =>
  `Another report run of ${current.month} is in progress: ${current.holder} (since ${current.takenAt}). ` +
  `Wait for it to end, or stop it; the month is free at ${current.leaseExpiresAt} at the latest.`;

// Two rounds: a takeover can lose to a third run taking over the same ended holder, which then holds the month.
const ATTEMPTS = 2;

/**
 * Takes the month for `holder`, or throws ReportRunInProgress. A lock whose holder has ended
 * (succeeded, failed, stopped, timed out, or its process was killed) is taken over at once, one
 * whose holder is not found after HOLDER_NOT_FOUND_GRACE_SECONDS too; one whose holder cannot be
 * asked about is respected until its lease ends.
 */
export const acquireRunLock = async (ports: RunLockPorts, month: string, holder: string): Promise<RunLock> => {
  let current: RunLock | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const lock = newLock(month, holder, ports.now());
    const first = await ports.put(lock);
    if (first.taken) return lock;
    current = first.current;
    if (!hasEnded(await ports.holderStatus(current.holder), current, ports.now())) break;
    const replacement = newLock(month, holder, ports.now());
    const takeover = await ports.put(replacement, current);
    if (takeover.taken) return replacement;
    current = takeover.current;
  }
  throw new ReportRunInProgressError(inProgressMessage(current as RunLock));
};

/** The holder's lock, marked released: what WriteSummary puts when the run ends. */
export const releasedLock = (month: string, holder: string, takenAt: string, now: Date): RunLock => ({
  ...newLock(month, holder, new Date(takenAt)),
  releasedAt: now.toISOString(),
});
