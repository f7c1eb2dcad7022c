import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { type PaymentSubmission, paymentsApi } from '#client/payments-api';
import { listen } from '#local/api-gateway/http-listener';
import { agentFetch } from './agent-fetch';
import { summariseLatencies, type LatencySummary } from './stats';

/**
 * The load generator, run as its own process (`tsx bench/load-client.ts <plan.json>`) so that
 * the process under test never shares an event loop or a CPU budget it cannot see with the
 * client. It prints one JSON line: the rate, the latency percentiles, every non-2xx status and
 * the client's own CPU per request.
 *
 * It drives the API through the typed client (client/payments-api.ts: openapi-fetch over the
 * types generated from docs/openapi.yaml), as a client app would, sent with undici on one Agent
 * (bench/agent-fetch.ts says why not through Node's fetch). Closed loop, like autocannon's:
 * `connections` loops, each sending its next request when the previous one is answered, until the
 * duration ends. No retry: a load generator measures each answer, so a 503 or a cut connection is
 * counted, not resent (client/submit-payment.ts's retries are for client apps).
 */
export interface HttpLoadPlan {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Bearer token of each user; every request is one of them paying a fresh payment id. */
  tokens: Record<string, string>;
  /** POST /payments/batch with this many fresh payments of the user per request, instead of POST /payments. */
  batchSize?: number;
  /** How long one request may take before it counts as a timeout (default 10 s, or 120 s for batches). */
  timeoutSeconds?: number;
}

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  /** Answers received (any status): 2xx plus every count in `non2xx`. */
  requests: number;
  perSecond: number;
  latencyMs: LatencySummary;
  /** Status code -> count, for every answer that was not 2xx. */
  non2xx: Record<string, number>;
  /** Requests that got no answer (refused or cut connection), timeouts not included. */
  errors: number;
  /** Requests that got no answer within the timeout. */
  timeouts: number;
  /** CPU time (user + system) of the load client's process per answered request. */
  clientCpuMsPerRequest: number;
}

/** autocannon's default; a batch of 100 takes seconds locally, and 16 of them at once queue behind each other. */
const SINGLE_TIMEOUT_SECONDS = 10;
const BATCH_TIMEOUT_SECONDS = 120;
/** The client's own warm-up, before the row (warmUpClient). */
const WARM_UP_SECONDS = 1;

const DESCRIPTIONS = ['Netflix', 'Rent', 'Gym', 'Spotify', 'Phone contract', 'Car insurance'];

/**
 * A valid submission of `userId` with a fresh id, of the month it is received in: the same body a client app sends.
 * (Not devtools/submissions.ts's paymentSubmission: that module loads the workflow and its handlers into this process.)
 */
const freshPayment = (userId: string): PaymentSubmission => ({
  id: randomUUID(),
  userId,
  timestamp: new Date(Date.now() - 60_000).toISOString(),
  description: DESCRIPTIONS[Math.floor(Math.random() * DESCRIPTIONS.length)] ?? 'Netflix',
  currency: 'GBP',
  amount: `${1 + Math.floor(Math.random() * 500)}.${String(Math.floor(Math.random() * 100)).padStart(2, '0')}`,
});

/** One request of `userId`, with that user's own token (a header here: the client's token hook costs more CPU). */
const requestSender =
  (plan: HttpLoadPlan, api: ReturnType<typeof paymentsApi>, timeoutMs: number) =>
  async ([userId, token]: [string, string]): Promise<number> => {
    const options = { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) };
    const { batchSize } = plan;
    const { response } =
      batchSize === undefined
        ? await api.POST('/payments', { ...options, body: freshPayment(userId) })
        : await api.POST('/payments/batch', {
            ...options,
            body: { payments: Array.from({ length: batchSize }, () => freshPayment(userId)) },
          });
    return response.status;
  };

export const runHttpLoad = async (plan: HttpLoadPlan): Promise<LoadResult> => {
  const timeoutMs =
    1000 * (plan.timeoutSeconds ?? (plan.batchSize === undefined ? SINGLE_TIMEOUT_SECONDS : BATCH_TIMEOUT_SECONDS));
  // `connections` keep-alive sockets, one request in flight on each: the loops use as many as
  // autocannon's connections, and no more (undici's default pool per origin has no bound).
  const agent = new Agent({ connections: plan.connections, pipelining: 1 });
  const users = Object.entries(plan.tokens);
  if (users.length === 0) throw new RangeError('The load plan has no tokens');

  const send = requestSender(plan, paymentsApi({ baseUrl: plan.url, fetch: agentFetch(agent) }), timeoutMs);
  const latencies: number[] = [];
  const non2xx: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  let next = 0;
  const cpuAtStart = process.cpuUsage();
  const startedAt = performance.now();
  const deadline = startedAt + plan.durationSeconds * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const user = users[next++ % users.length]!;
      const sentAt = performance.now();
      try {
        const status = await send(user);
        latencies.push(performance.now() - sentAt);
        if (status < 200 || status > 299) non2xx[status] = (non2xx[status] ?? 0) + 1;
      } catch (error) {
        // By name, not instanceof: the abort's DOMException may come from another realm (jest's, for one).
        if ((error as { name?: unknown } | undefined)?.name === 'TimeoutError') timeouts += 1;
        else errors += 1;
      }
    }
  };
  try {
    // A request in flight at the deadline is awaited and counted, so that no work of this row runs into the next;
    // the rate divides by the time until that last answer.
    await Promise.all(Array.from({ length: plan.connections }, loop));
  } finally {
    await agent.close();
  }
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    connections: plan.connections,
    durationSeconds: plan.durationSeconds,
    requests: latencies.length,
    perSecond: latencies.length / elapsedSeconds,
    latencyMs: summariseLatencies(latencies),
    non2xx,
    errors,
    timeouts,
    clientCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / latencies.length,
  };
};

/**
 * Runs `plan`'s requests for a second against a throwaway server in this process, which answers each with its own
 * body. V8 compiles the client as it runs: in a fresh process its first thousand or so requests cost it three times
 * the CPU of later ones (1.1 ms against 0.4 ms a request, measured), and every row of the benchmark is a fresh
 * process. Warmed up here, a row measures the server, not the client's compiler; the server under test sees none of it.
 */
export const warmUpClient = async (plan: HttpLoadPlan): Promise<void> => {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(201, { 'Content-Type': 'application/json' });
      response.end(Buffer.concat(chunks));
    });
  });
  const running = await listen(server, 0);
  try {
    await runHttpLoad({ ...plan, url: `http://127.0.0.1:${running.port}`, durationSeconds: WARM_UP_SECONDS });
  } finally {
    // The client's Agent has closed its sockets by now (runHttpLoad's finally): nothing is left in flight.
    await running.close();
  }
};

if (require.main === module) {
  const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as HttpLoadPlan;
  warmUpClient(plan)
    .then(() => runHttpLoad(plan))
    .then(
      (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
}
