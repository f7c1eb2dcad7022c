import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { appendFile, chmod, mkdir, open, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { concurrencyLimit } from '#devtools/concurrency-limit';
import { answerMatches, httpAnswerOf } from '#devtools/http-answer';
import type { ExecutionStatus } from '#devtools/execution-status';
import type { RecordedEvent } from '#local/step-functions/interpreter';
import { type ProcessIdentity, isRunning, thisProcess } from '#local/process-identity';
import { type StopReason, requestStop, watchStopRequest } from '#local/step-functions/stop-requests';

/** One execution as the Step Functions API describes it, plus its per-state event log. */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  /** The execution whose Distributed Map started this one (a child execution of its map run). */
  parentExecutionArn?: string;
  events: RecordedEvent[];
}

export interface ExecutionFilter {
  /** One workflow. */
  stateMachineArn?: string;
  status?: ExecutionStatus;
  /** Executions the caller's index (ExecutionStore.open's `index`) lists under this key. */
  indexKey?: string;
  /** = the submit-payment execution name. */
  requestId?: string;
  /** Started at or after. */
  since?: Date;
  /** Submissions whose HTTP answer passes this filter (`4xx`, `409`: see parseAnswerFilter). */
  answer?: string;
  /** The child executions of this execution's Distributed Maps; without it, only top-level executions (as AWS lists them). */
  parentExecutionArn?: string;
}

/** What a list shows of an execution (`error`: the error name of a failed, timed-out or aborted one). */
export type ExecutionSummary = Pick<
  ExecutionRecord,
  'executionArn' | 'stateMachineArn' | 'name' | 'status' | 'startDate' | 'stopDate' | 'error' | 'parentExecutionArn'
> & {
  /** A submission's HTTP answer (its execution SUCCEEDS also when it answers 4xx). */
  httpStatus?: number;
  paymentId?: string;
  /** A batch's payment ids. */
  paymentIds?: string[];
  requestId?: string;
  /** A RUNNING line's: the process running it (the stack, or npm run report). Once it is gone, so is the run. */
  owner?: ProcessIdentity;
};

/** What a RUNNING execution whose process has ended reads as: ABORTED, with this error. */
export const PROCESS_ENDED = 'ProcessEnded';

/** The order of every listing: newest first, then by ARN, so that a page's position is exact. */
export const newestFirst = (a: ExecutionSummary, b: ExecutionSummary): number =>
  b.startDate.localeCompare(a.startDate) || a.executionArn.localeCompare(b.executionArn);

/** Where a stack keeps its execution records, under its data dir. */
export const executionsDir = (dataDir: string): string => path.join(dataDir, 'executions');

const INDEX_FILE = 'index.jsonl';
const RECORDS_DIR = 'records';
/** As the signing key's: owner only. */
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;
// Past this many lines per execution on open, the index is rewritten with the last line of each.
const COMPACT_WHEN_LINES_PER_EXECUTION = 3;
const MAX_CONCURRENT_RECORD_WRITES = 8;
// A submission's history (a few dozen events) is written in one call; a report run's is streamed.
const SMALL_HISTORY_EVENTS = 1000;

/** An extra index the caller keeps over the summaries: the keys a summary is listed under. */
export type SummaryIndex = (summary: ExecutionSummary) => readonly string[];

/** The ids a summary carries from its execution's input, as the caller reads them (ExecutionStore.open's `describe`). */
export type InputIds = Pick<ExecutionSummary, 'paymentId' | 'paymentIds' | 'requestId'>;
export type DescribeInput = (input: unknown) => InputIds;

/** What the index keeps of a record: the ids the caller's `describe` reads from its input (none without one). */
export const summarize = (record: ExecutionRecord, describe?: DescribeInput): ExecutionSummary => {
  const { paymentId, paymentIds, requestId } = describe?.(record.input) ?? {};
  const httpStatus = httpAnswerOf(record);
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: record.startDate,
    ...(record.stopDate ? { stopDate: record.stopDate } : {}),
    ...(paymentId ? { paymentId } : {}),
    ...(paymentIds ? { paymentIds } : {}),
    ...(requestId ? { requestId } : {}),
    ...(record.error ? { error: record.error } : {}),
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...(record.parentExecutionArn ? { parentExecutionArn: record.parentExecutionArn } : {}),
  };
};

const matches = (summary: ExecutionSummary, filter: ExecutionFilter): boolean =>
  (filter.stateMachineArn === undefined || summary.stateMachineArn === filter.stateMachineArn) &&
  (filter.status === undefined || summary.status === filter.status) &&
  (filter.requestId === undefined || summary.requestId === filter.requestId || summary.name === filter.requestId) &&
  (filter.since === undefined || Date.parse(summary.startDate) >= filter.since.getTime()) &&
  (filter.answer === undefined || answerMatches(filter.answer, summary.httpStatus)) &&
  summary.parentExecutionArn === filter.parentExecutionArn;

/**
 * Every execution of the local stack's workflows, kept on disk so that it survives a restart:
 * `index.jsonl` holds one summary line per save (the last line of an execution wins), and
 * `records/<hash>.jsonl` one file per finished execution (the record, then one event a line),
 * so listing never reads a history and a report run's huge history is written a line at a
 * time. A save updates memory at once (list and get see it); the disk follows (index lines
 * in batches, a few record files at a time), so request handling never waits for it. Another
 * process (npm run report) may append to the same directory: list picks up what it added.
 */
export class ExecutionStore {
  private readonly summaries = new Map<string, ExecutionSummary>();
  /** The caller's index: ARNs by key. */
  private readonly arnsByKey = new Map<string, Set<string>>();
  /** Records not on disk yet (running ones, and finished ones waiting in the queue). */
  private readonly unwritten = new Map<string, ExecutionRecord>();
  /** Index reads and appends, one at a time. */
  private queue: Promise<void> = Promise.resolve();
  private indexLines: string[] = [];
  private indexBatch: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  /** A few record files at a time: a burst of submissions must not open thousands of files at once. */
  private readonly limitRecordWrites = concurrencyLimit(MAX_CONCURRENT_RECORD_WRITES);
  /** Bytes of the index this store has read or written; more on disk = another writer's lines. */
  private indexBytes = 0;
  private failure: Error | undefined;
  private readonly self = thisProcess();

  private constructor(
    private readonly dir: string,
    private readonly index: SummaryIndex | undefined,
    private readonly describe: DescribeInput | undefined,
  ) {}

  /**
   * Persists under `dir` (the stack uses <dataDir>/executions); reloads what is there. The stack
   * compacts an index grown to many lines per execution; a second writer (npm run report) passes
   * `compact: false`, since rewriting the file under the running stack could drop its appends.
   * `index` lists summaries under keys of the caller's (list's `indexKey` finds them); `describe` reads the ids a
   * summary carries from an execution's input: the caller knows what its workflows take, the emulator does not.
   */
  static async open(
    dir: string,
    options: { compact?: boolean; index?: SummaryIndex; describe?: DescribeInput } = {},
  ): Promise<ExecutionStore> {
    const store = new ExecutionStore(dir, options.index, options.describe);
    // The records hold whole request bodies and callers: the owner's alone, as the signing key
    // is. chmod too: mkdir's mode does not change a directory an older version made 0755.
    for (const directory of [dir, path.join(dir, RECORDS_DIR)]) {
      await mkdir(directory, { recursive: true, mode: PRIVATE_DIR });
      await chmod(directory, PRIVATE_DIR);
    }
    await chmod(store.indexPath, PRIVATE_FILE).catch(() => undefined);
    const lines = await store.readNewIndexLines();
    // A RUNNING line of a process that has ended (the last stack, a killed npm run report) is not running.
    store.settleOrphans([...store.summaries.values()]);
    if (options.compact !== false && lines > COMPACT_WHEN_LINES_PER_EXECUTION * Math.max(store.summaries.size, 1))
      await store.compact();
    return store;
  }

  /** Called when an execution starts (status RUNNING) and again when it ends; the last call wins. */
  save(record: ExecutionRecord): Promise<void> {
    const summarized = summarize(record, this.describe);
    const summary = record.status === 'RUNNING' ? { ...summarized, owner: this.self } : summarized;
    this.remember(summary);
    this.unwritten.set(record.executionArn, record);
    if (record.status === 'RUNNING') return this.track(this.appendToIndex(summary));
    return this.track(
      (async () => {
        await this.limitRecordWrites(() => this.writeRecord(record));
        // Only once the history is on disk does the index say the execution ended.
        await this.appendToIndex(summary);
        if (this.unwritten.get(record.executionArn) === record) this.unwritten.delete(record.executionArn);
      })(),
    );
  }

  /** Newest first. */
  async list(filter: ExecutionFilter = {}): Promise<ExecutionSummary[]> {
    await this.enqueue(async () => {
      await this.readNewIndexLines();
    });
    this.settleOrphans([...this.summaries.values()]);
    if (filter.indexKey !== undefined && !this.index) throw new Error('This store was opened without an index.');
    const candidates =
      filter.indexKey === undefined
        ? this.summaries.values()
        : [...(this.arnsByKey.get(filter.indexKey) ?? [])].map((arn) => this.summaries.get(arn)!);
    return [...candidates].filter((summary) => matches(summary, filter)).sort(newestFirst);
  }

  async get(executionArn: string): Promise<ExecutionRecord | undefined> {
    const unwritten = this.unwritten.get(executionArn);
    if (unwritten) return unwritten;
    let summary = this.summaries.get(executionArn);
    // Unknown, or running in another process: its latest line may be one this store has not read yet.
    if (!summary || summary.status === 'RUNNING') {
      await this.enqueue(async () => {
        await this.readNewIndexLines();
      });
      summary = this.summaries.get(executionArn);
      if (!summary) return undefined;
      this.settleOrphans([summary]);
      summary = this.summaries.get(executionArn)!;
    }
    return (await this.readRecord(executionArn)) ?? { ...summary, input: undefined, events: [] };
  }

  /**
   * Asks the process running an execution to stop it (StopExecution of a run of npm run report);
   * that process records it ABORTED, as a stop in its own process would.
   */
  requestStop(executionArn: string, reason: StopReason): Promise<void> {
    return requestStop(this.dir, executionArn, reason);
  }

  /** In the process running `executionArn`: calls `stop` when another process asks for it to stop. Returns the unwatch. */
  watchStopRequest(executionArn: string, stop: (reason: StopReason) => void): () => void {
    return watchStopRequest(this.dir, executionArn, stop);
  }

  /**
   * RUNNING summaries whose process has ended (killed, or a stack before this one) become ABORTED
   * with PROCESS_ENDED, and the index says so, so that no reader waits on them for ever.
   */
  private settleOrphans(summaries: readonly ExecutionSummary[]): void {
    for (const summary of summaries) {
      if (summary.status !== 'RUNNING' || (summary.owner && isRunning(summary.owner))) continue;
      const { owner: _owner, ...rest } = summary;
      const ended: ExecutionSummary = {
        ...rest,
        status: 'ABORTED',
        stopDate: new Date().toISOString(),
        error: PROCESS_ENDED,
      };
      this.remember(ended);
      void this.track(this.appendToIndex(ended)).catch(() => undefined);
    }
  }

  /** Resolves when everything saved so far is on disk (the stack awaits it before it stops). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await this.enqueue(async () => undefined);
    if (this.failure) throw this.failure;
  }

  private remember(summary: ExecutionSummary): void {
    this.summaries.set(summary.executionArn, summary);
    for (const key of this.index?.(summary) ?? []) {
      const arns = this.arnsByKey.get(key) ?? new Set<string>();
      arns.add(summary.executionArn);
      this.arnsByKey.set(key, arns);
    }
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    // One failed write must not stop the ones after it; flush reports it.
    this.queue = run.catch((error: unknown) => {
      this.failure = error as Error;
    });
    return run;
  }

  private get indexPath(): string {
    return path.join(this.dir, INDEX_FILE);
  }

  private recordPath(executionArn: string): string {
    return path.join(
      this.dir,
      RECORDS_DIR,
      `${createHash('sha256').update(executionArn).digest('hex').slice(0, 32)}.jsonl`,
    );
  }

  /** Saves in flight, for flush; a failure is kept for flush to report, not left unhandled. */
  private track(write: Promise<void>): Promise<void> {
    const tracked = write.catch((error: unknown) => {
      this.failure = error as Error;
      throw error;
    });
    this.inFlight.add(tracked);
    void tracked.then(
      () => this.inFlight.delete(tracked),
      () => this.inFlight.delete(tracked),
    );
    return tracked;
  }

  /** Index lines are appended in batches: one write for all the saves since the last one. */
  private appendToIndex(summary: ExecutionSummary): Promise<void> {
    this.indexLines.push(`${JSON.stringify(summary)}\n`);
    this.indexBatch ??= this.enqueue(async () => {
      this.indexBatch = undefined;
      const text = this.indexLines.splice(0).join('');
      await this.readNewIndexLines();
      await appendFile(this.indexPath, text, { mode: PRIVATE_FILE });
      // indexBytes is not moved past our own lines: another process may have appended between
      // the read and this append, and its lines would then be skipped. The next read takes ours
      // again, which changes nothing (a RUNNING line never overrides a known end).
    });
    return this.indexBatch;
  }

  /** Reads the index past what this store has seen; returns the number of lines read. */
  private async readNewIndexLines(): Promise<number> {
    const size = await stat(this.indexPath).then(
      (stats) => stats.size,
      () => 0,
    );
    if (size <= this.indexBytes) return 0;
    const handle = await open(this.indexPath, 'r');
    let text: string;
    try {
      const buffer = Buffer.alloc(size - this.indexBytes);
      await handle.read(buffer, 0, buffer.length, this.indexBytes);
      // A line still being appended by another process is read next time.
      const complete = buffer.lastIndexOf(0x0a) + 1;
      text = buffer.subarray(0, complete).toString('utf8');
      this.indexBytes += complete;
    } finally {
      await handle.close();
    }
    let count = 0;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      count += 1;
      try {
        const summary = JSON.parse(line) as ExecutionSummary;
        // A RUNNING line never overrides an end already known (another process's lines may interleave).
        const known = this.summaries.get(summary.executionArn);
        if (summary.status === 'RUNNING' && known && known.status !== 'RUNNING') continue;
        this.remember(summary);
      } catch {
        // A torn line (the stack was killed mid-write) loses one summary, not the index.
      }
    }
    return count;
  }

  private async compact(): Promise<void> {
    const text = [...this.summaries.values()].map((summary) => `${JSON.stringify(summary)}\n`).join('');
    const temporary = `${this.indexPath}.${process.pid}.tmp`;
    await writeFile(temporary, text, { mode: PRIVATE_FILE });
    await rename(temporary, this.indexPath);
    this.indexBytes = Buffer.byteLength(text);
  }

  private async writeRecord(record: ExecutionRecord): Promise<void> {
    const { events, ...rest } = record;
    if (events.length <= SMALL_HISTORY_EVENTS) {
      await writeFile(
        this.recordPath(record.executionArn),
        [rest, ...events].map((line) => `${JSON.stringify(line)}\n`).join(''),
        { mode: PRIVATE_FILE },
      );
      return;
    }
    const out = createWriteStream(this.recordPath(record.executionArn), { mode: PRIVATE_FILE });
    const write = async (line: string): Promise<void> => {
      if (!out.write(line)) await once(out, 'drain');
    };
    try {
      await write(`${JSON.stringify(rest)}\n`);
      // One event a line: a history of hundreds of thousands of events never becomes one string.
      for (const event of events) await write(`${JSON.stringify(event)}\n`);
    } finally {
      out.end();
      await once(out, 'close');
    }
  }

  private async readRecord(executionArn: string): Promise<ExecutionRecord | undefined> {
    const file = this.recordPath(executionArn);
    try {
      await stat(file);
    } catch {
      return undefined;
    }
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    let record: ExecutionRecord | undefined;
    for await (const line of lines) {
      if (line === '') continue;
      if (!record) record = { ...(JSON.parse(line) as Omit<ExecutionRecord, 'events'>), events: [] };
      else record.events.push(JSON.parse(line) as ExecutionRecord['events'][number]);
    }
    return record;
  }
}
