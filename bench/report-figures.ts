import type { RunSummary } from '#domain/report-run';
import type { DynamoDbCallFigures } from './dynamodb-calls';
import type { GenerationResult } from './generation-result';
import type { RunStart } from './machine';
import type { capacityPerUser } from './report-capacity';
import type { ExecutionFigures, FunctionFigures } from './run-figures';

export interface ReportOptions {
  users: number;
  month: string;
  seed: number;
  /** Diagnostic: at most this many BuildReports invocations at once (the rest wait). */
  batchConcurrency?: number;
  /** Hidden: be the generation process, writing the month into the DynamoDB Local at this endpoint. */
  generateOnly?: string;
  /** Measure the units each request consumes (through a recording proxy). */
  capacity: boolean;
  /** Shard child executions running at once in this process. */
  childExecutions: number;
  /** Keep the generated month in this folder (then run on a scratch copy). */
  keepData?: string;
  /** Run on a scratch copy of the month kept in this folder; generate nothing. */
  reuseData?: string;
  /** After the run, DynamoDB Local's own rate of report-head writes on the same database (the phase's floor). */
  ceiling: boolean;
}

/** `--ceiling`: closed-loop report-head writes at one concurrency, and the CPU both processes spent on them. */
export interface ReportCeilingFigures {
  concurrency: number;
  writes: number;
  perSecond: number;
  p50Ms: number;
  /** CPU seconds of the writing process and of DynamoDB Local during the writes. */
  writerCpuSeconds: number;
  javaCpuSeconds: number;
}

/** The process's memory at the highest RSS sample of the run, and what the run was doing then. */
export interface MemoryAtPeak {
  memory: NodeJS.MemoryUsage;
  batchesRunning: number;
  reported: number;
  seconds: number;
}

/** What one report run measured in the workflow's process: the render step turns it into the report. */
export interface ReportRunFigures {
  seconds: number;
  workflowCpuSeconds: number;
  javaCpuSeconds: number;
  /** This process's maxRSS at the end of the run, and before it started. */
  peakRssBytes: number;
  rssBeforeRunBytes: number;
  /** The peak of each figure over the 250 ms samples. */
  peakMemory: NodeJS.MemoryUsage;
  atPeakRss: MemoryAtPeak;
  /** With --expose-gc: what the run still holds after a full GC. */
  memoryAfterGc?: NodeJS.MemoryUsage;
  javaPeakRssBytes?: number;
  history: ExecutionFigures;
  /** The parent execution's own event log. */
  parentLogEvents: number;
  invocationsTotal: number;
  functions: FunctionFigures[];
  dynamoDbCalls: DynamoDbCallFigures[];
  unansweredDynamoDbCalls: number;
}

export interface ReportBenchFigures extends RunStart {
  options: ReportOptions;
  loadAfter: string;
  generation: GenerationResult;
  run: ReportRunFigures;
  /** `--capacity`: the units per user. */
  capacity?: ReturnType<typeof capacityPerUser>;
  /** `--ceiling`: DynamoDB Local's report-head write rate after the run. */
  ceiling?: ReportCeilingFigures[];
  /** What the check found wrong: none for a run that matches what was generated. */
  problems: string[];
  summary?: RunSummary;
}
