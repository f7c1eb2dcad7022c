import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { PaymentSubmission } from '#client/payments-api';
import { summariseLatencies, type LatencySummary } from './stats';

/**
 * The load generator, run as its own process (`tsx bench/load-client.ts <plan.json>`) so that
 * the process under test never shares an event loop or a CPU budget it cannot see with the
 * client. It prints one JSON line: the rate, the latency percentiles and every non-2xx status.
 */
export interface HttpLoadPlan {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Bearer token of each user; every request is one of them paying a fresh payment id. */
  tokens: Record<string, string>;
  /** POST /payments/batch with this many fresh payments of the user per request, instead of POST /payments. */
  batchSize?: number;
}

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  requests: number;
  perSecond: number;
  latencyMs: LatencySummary;
  /** Status code -> count, for every answer that was not 2xx. */
  non2xx: Record<string, number>;
  errors: number;
  timeouts: number;
}

const DESCRIPTIONS = ['Netflix', 'Rent', 'Gym', 'Spotify', 'Phone contract', 'Car insurance'];

/**
 * A valid submission of `userId` with a fresh id: the same body a client app sends, typed by the published contract
 * (client/openapi-types.ts). autocannon sends it as raw bytes, so the typed client itself does not fit here: its
 * per-request work would be measured as the server's.
 */
export const freshPaymentBody = (userId: string): string =>
  JSON.stringify({
    id: randomUUID(),
    userId,
    timestamp: new Date(Date.now() - 60_000).toISOString(),
    description: DESCRIPTIONS[Math.floor(Math.random() * DESCRIPTIONS.length)] ?? 'Netflix',
    currency: 'GBP',
    amount: `${1 + Math.floor(Math.random() * 500)}.${String(Math.floor(Math.random() * 100)).padStart(2, '0')}`,
  } satisfies PaymentSubmission);

export const runHttpLoad = async (plan: HttpLoadPlan): Promise<LoadResult> => {
  const users = Object.entries(plan.tokens);
  const latencies: number[] = [];
  const non2xx: Record<string, number> = {};
  let next = 0;
  let finish: (error: unknown, result: autocannon.Result) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) => (error ? reject(error as Error) : resolve(result));
  });
  const instance = autocannon(
    {
      url: plan.url,
      connections: plan.connections,
      duration: plan.durationSeconds,
      // A batch of 100 takes seconds locally, and 16 of them at once queue behind each other: not a timeout.
      ...(plan.batchSize === undefined ? {} : { timeout: 120 }),
      requests: [
        {
          method: 'POST',
          path: plan.batchSize === undefined ? '/payments' : '/payments/batch',
          setupRequest: (request) => {
            const [userId, token] = users[next++ % users.length]!;
            return {
              ...request,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body:
                plan.batchSize === undefined
                  ? freshPaymentBody(userId)
                  : `{"payments":[${Array.from({ length: plan.batchSize }, () => freshPaymentBody(userId)).join(',')}]}`,
            };
          },
        },
      ],
    },
    (error, result) => finish(error, result),
  );
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    if (statusCode < 200 || statusCode > 299) non2xx[statusCode] = (non2xx[statusCode] ?? 0) + 1;
  });
  const result = await finished;
  return {
    connections: plan.connections,
    durationSeconds: plan.durationSeconds,
    requests: latencies.length,
    perSecond: latencies.length / (result.duration || plan.durationSeconds),
    latencyMs: summariseLatencies(latencies),
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
};

if (require.main === module) {
  const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as HttpLoadPlan;
  runHttpLoad(plan).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
