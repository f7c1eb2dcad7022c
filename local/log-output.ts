import { DEFAULT_LOG_LEVEL } from '#devtools/stack-settings';

/**
 * How `npm start` prints its log: to a terminal, one readable line per request; to anything else (a file, a pipe,
 * a test harness), one JSON object per line, as before. A terminal at the default level also leaves out the
 * handlers' INFO lines (about seven per submission): the console and `npm run ops` show each step.
 */
export type LogFormat = 'text' | 'json';

export interface LogOutput {
  format: LogFormat;
  /** The level the handlers log at (Powertools' POWERTOOLS_LOG_LEVEL). */
  handlerLogLevel: string;
}

/** `logLevel`: LOG_LEVEL as set, or undefined for the stack's default; a level set is always honoured. */
export const logOutputFor = (toTerminal: boolean, logLevel: string | undefined): LogOutput => ({
  format: toTerminal ? 'text' : 'json',
  handlerLogLevel: logLevel || (toTerminal ? 'WARN' : DEFAULT_LOG_LEVEL.stack),
});

type LogEntry = Record<string, unknown>;

// A stored or requested text may hold control characters; in a terminal they would move the cursor or set its title.
const CONTROL_CHARACTERS = /[\p{Cc}]/gu;
const printable = (value: unknown): string =>
  (typeof value === 'string' ? value : JSON.stringify(value)).replace(
    CONTROL_CHARACTERS,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

const clock = (at: Date): string => at.toISOString().slice(11, 19);

const requestLine = (entry: LogEntry, time: string): string => {
  const latency = typeof entry.latencyMs === 'number' ? `  ${entry.latencyMs} ms` : '';
  return `${time} ${printable(entry.method)} ${printable(entry.path)} ${printable(entry.status)}${latency}  ${printable(entry.requestId)}`;
};

const operationLine = (entry: LogEntry, time: string): string =>
  `${time} ${printable(entry.source)} ${printable(entry.operation)} ${printable(entry.status)}${entry.error === undefined ? '' : `  ${printable(entry.error)}`}`;

/** Anything else the stack says (an error, a throttled caller): its message, then its other fields. */
const messageLine = (entry: LogEntry, time: string): string => {
  const { source, message, ...rest } = entry;
  const fields = Object.entries(rest).map(([name, value]) => `${name}=${printable(value)}`);
  return [`${time} ${printable(source)}`, printable(message ?? ''), ...fields].filter(Boolean).join(' ');
};

/**
 * The line to print for one entry, or undefined for none: in text, an execution's own entry is left out, since
 * the request that ran it gets its line (with the request id, which names the execution) when it is answered.
 */
export const formatLogEntry = (format: LogFormat, entry: LogEntry, at = new Date()): string | undefined => {
  if (format === 'json') return JSON.stringify(entry);
  const time = clock(at);
  if (entry.method !== undefined && entry.status !== undefined) return requestLine(entry, time);
  if (entry.operation !== undefined && entry.status !== undefined) return operationLine(entry, time);
  if (entry.executionArn !== undefined && entry.message === undefined) return undefined;
  return messageLine(entry, time);
};
