import { toHistoryEvents } from '#local/step-functions/api/history';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { median, summariseLatencies } from './stats';

/**
 * What the report benchmark counts of a run besides its time: the history each execution would
 * hold in AWS (the parent and every child execution of its Distributed Map), and the Lambda
 * invocations with their durations. Pure but for the clock the caller reads.
 */

/** The events AWS would keep for an execution: the local record mapped to GetExecutionHistory's shapes. */
export const awsHistoryLength = (record: ExecutionRecord): number =>
  toHistoryEvents(record, { includeExecutionData: false, taskResources: new Map(), roleArn: 'local' }).length;

interface EndedExecution {
  executionArn: string;
  parentExecutionArn?: string;
  status: string;
  events: number;
  seconds: number;
}

export interface ExecutionFigures {
  /** History events of the run's own execution (none ended yet: undefined). */
  parentEvents?: number;
  parentStatus?: string;
  children: number;
  childrenFailed: number;
  childEventsMax: number;
  childEventsMedian: number;
  childSecondsMax: number;
  childSecondsMedian: number;
}

/**
 * Keeps a count per ended execution, never the record: the records' event logs are dropped as
 * soon as they are counted, so the benchmark holds no more memory than the run itself does.
 */
export const executionLedger = (historyLength: (record: ExecutionRecord) => number = awsHistoryLength) => {
  const ended: EndedExecution[] = [];
  return {
    record: (record: ExecutionRecord): void => {
      ended.push({
        executionArn: record.executionArn,
        ...(record.parentExecutionArn ? { parentExecutionArn: record.parentExecutionArn } : {}),
        status: record.status,
        events: historyLength(record),
        seconds: record.stopDate ? (Date.parse(record.stopDate) - Date.parse(record.startDate)) / 1000 : Number.NaN,
      });
    },
    /** The figures of the run whose execution is `parentExecutionArn`. */
    figures: (parentExecutionArn: string): ExecutionFigures => {
      const parent = ended.find((execution) => execution.executionArn === parentExecutionArn);
      const children = ended.filter((execution) => execution.parentExecutionArn === parentExecutionArn);
      const events = children.map((child) => child.events);
      const seconds = children.map((child) => child.seconds);
      return {
        ...(parent ? { parentEvents: parent.events, parentStatus: parent.status } : {}),
        children: children.length,
        childrenFailed: children.filter((child) => child.status !== 'SUCCEEDED').length,
        childEventsMax: events.length > 0 ? Math.max(...events) : Number.NaN,
        childEventsMedian: median(events),
        childSecondsMax: seconds.length > 0 ? Math.max(...seconds) : Number.NaN,
        childSecondsMedian: median(seconds),
      };
    },
  };
};

export interface FunctionFigures {
  name: string;
  invocations: number;
  /** Invocations that threw (the state machine's Retry or Catch then takes over). */
  failed: number;
  /** The failures by error name (the error the state machine saw). */
  errors: Record<string, number>;
  /** Wall-clock ms inside the handler, every invocation. */
  totalMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** Lambda invocations by function, each timed from call to answer. */
export const invocationLedger = () => {
  const byFunction = new Map<string, { durations: number[]; errors: Map<string, number> }>();
  const entry = (name: string): { durations: number[]; errors: Map<string, number> } => {
    let found = byFunction.get(name);
    if (!found) byFunction.set(name, (found = { durations: [], errors: new Map() }));
    return found;
  };
  return {
    /** Books one invocation of `name` that took `ms`, and the name of the error it threw, if it did. */
    book: (name: string, ms: number, error?: string): void => {
      const found = entry(name);
      found.durations.push(ms);
      if (error !== undefined) found.errors.set(error, (found.errors.get(error) ?? 0) + 1);
    },
    total: (): number => [...byFunction.values()].reduce((sum, found) => sum + found.durations.length, 0),
    figures: (): FunctionFigures[] =>
      [...byFunction].map(([name, { durations, errors }]) => {
        const summary = summariseLatencies(durations);
        return {
          name,
          invocations: durations.length,
          failed: [...errors.values()].reduce((sum, count) => sum + count, 0),
          errors: Object.fromEntries(errors),
          totalMs: durations.reduce((sum, ms) => sum + ms, 0),
          p50Ms: summary.p50,
          p95Ms: summary.p95,
          maxMs: summary.max,
        };
      }),
  };
};
