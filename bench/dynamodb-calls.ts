import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { summariseLatencies } from './stats';

/**
 * Every DynamoDB request this process sends, by operation, with its latency (request start to
 * response end), read from Node's HTTP client diagnostics channels: the handlers run unchanged and
 * build their own SDK clients, so this is the one place that sees all their calls. Requests with a
 * DynamoDB `X-Amz-Target` are counted, between start() and stop(); a request that got no answer
 * (the SDK's timeout gave up on it) is counted as unanswered.
 */
const TARGET_PREFIX = 'DynamoDB_20120810.';

export interface DynamoDbCallFigures {
  operation: string;
  calls: number;
  totalMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export const dynamoDbCallRecorder = () => {
  let sent = 0;
  let answered = 0;
  const started = new WeakMap<ClientRequest, { operation: string; at: number }>();
  const latencies = new Map<string, number[]>();
  const onStart = (message: unknown): void => {
    const { request } = message as { request: ClientRequest };
    const target = request.getHeader('x-amz-target');
    if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return;
    sent += 1;
    started.set(request, { operation: target.slice(TARGET_PREFIX.length), at: performance.now() });
  };
  const onFinish = (message: unknown): void => {
    const { request } = message as { request: ClientRequest };
    const call = started.get(request);
    if (!call) return;
    started.delete(request);
    answered += 1;
    const list = latencies.get(call.operation);
    const ms = performance.now() - call.at;
    if (list) list.push(ms);
    else latencies.set(call.operation, [ms]);
  };
  return {
    start: (): void => {
      diagnosticsChannel.subscribe('http.client.request.start', onStart);
      diagnosticsChannel.subscribe('http.client.response.finish', onFinish);
    },
    stop: (): void => {
      diagnosticsChannel.unsubscribe('http.client.request.start', onStart);
      diagnosticsChannel.unsubscribe('http.client.response.finish', onFinish);
    },
    /** Requests sent and never answered while recording. */
    unanswered: (): number => sent - answered,
    figures: (): DynamoDbCallFigures[] =>
      [...latencies].map(([operation, list]) => {
        const summary = summariseLatencies(list);
        return {
          operation,
          calls: list.length,
          totalMs: list.reduce((sum, ms) => sum + ms, 0),
          p50Ms: summary.p50,
          p95Ms: summary.p95,
          maxMs: summary.max,
        };
      }),
  };
};
