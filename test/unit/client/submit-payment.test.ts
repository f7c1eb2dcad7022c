import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NoAccessTokenError, paymentsApi } from '#client/payments-api';
import { SubmissionFailedError, submitPayment } from '#client/submit-payment';
import { paymentSubmission } from '#devtools/submissions';

/**
 * The typed client's submission over real HTTP (a server on 127.0.0.1 scripted per attempt): what it retries, that
 * every attempt carries the same payment id and body, and what it gives up on.
 */
type Reply = (response: ServerResponse, request: IncomingMessage) => void;

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (response) => {
    response.writeHead(status, {
      'Content-Type': status < 300 ? 'application/json' : 'application/problem+json',
      ...headers,
    });
    response.end(JSON.stringify(body));
  };
/** The connection cut before any answer: what a network failure looks like to fetch. */
const cut: Reply = (_response, request) => request.socket.destroy();

/** `tokens` scripts the access-token callback per attempt: a string, or an error thrown (the session ended). */
const scriptedServer = async (replies: Reply[], tokens: (string | Error)[] = []) => {
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      bodies.push(body);
      (replies.shift() ?? json(500, {}))(response, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const api = paymentsApi({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accessToken: () => {
      const token = tokens.shift() ?? 'a-token';
      if (token instanceof Error) throw token;
      return token;
    },
  });
  return { api, bodies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

const noWait = { sleep: async () => undefined };
const stored = (submission: object) => ({ ...submission, receivedAt: new Date().toISOString() });

describe('submitPayment (client/submit-payment.ts)', () => {
  test('a cut connection and a 503 are retried with the same body and id; the 201 ends it', async () => {
    const submission = paymentSubmission();
    const server = await scriptedServer([
      cut,
      json(503, { status: 503 }, { 'Retry-After': '0' }),
      json(201, stored(submission)),
    ]);
    try {
      const outcome = await submitPayment(server.api, submission, noWait);
      expect(outcome).toMatchObject({ kind: 'stored', status: 201, replayed: false, attempts: 3 });
      expect(server.bodies).toHaveLength(3);
      expect(new Set(server.bodies).size).toBe(1);
      expect(JSON.parse(server.bodies[0]!)).toEqual(submission);
    } finally {
      await server.close();
    }
  });

  test('a 200 replay is stored, replayed: the payment was stored by an attempt whose answer was lost', async () => {
    const submission = paymentSubmission();
    const server = await scriptedServer([cut, json(200, stored(submission), { 'Idempotent-Replayed': 'true' })]);
    try {
      expect(await submitPayment(server.api, submission, noWait)).toMatchObject({
        kind: 'stored',
        status: 200,
        replayed: true,
      });
    } finally {
      await server.close();
    }
  });

  test('a 400 is not retried: its field errors come back as they are', async () => {
    const problem = {
      status: 400,
      title: 'Invalid payment',
      requestId: 'r',
      errors: [{ field: 'amount', message: 'too many digits' }],
    };
    const server = await scriptedServer([json(400, problem)]);
    try {
      const outcome = await submitPayment(server.api, paymentSubmission(), noWait);
      expect(outcome).toEqual({ kind: 'refused', status: 400, problem, attempts: 1 });
      expect(server.bodies).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  test('no answer after every attempt: SubmissionFailedError names the payment id, safe to send again', async () => {
    const submission = paymentSubmission();
    const server = await scriptedServer([cut, cut]);
    try {
      const failure = submitPayment(server.api, submission, { ...noWait, attempts: 2 });
      await expect(failure).rejects.toThrow(SubmissionFailedError);
      await expect(failure).rejects.toThrow(submission.id);
      expect(server.bodies).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  test('no access token (the session ended): NoAccessTokenError at once, nothing sent, not retried', async () => {
    const ended = new Error('The session has ended');
    const server = await scriptedServer([], [ended, ended, ended]);
    try {
      const failure = submitPayment(server.api, paymentSubmission(), noWait);
      await expect(failure).rejects.toThrow(NoAccessTokenError);
      await expect(failure).rejects.toMatchObject({ cause: ended });
      expect(server.bodies).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  test('a 503, then no access token: NoAccessTokenError (the one answer stored nothing)', async () => {
    const server = await scriptedServer(
      [json(503, { status: 503 }, { 'Retry-After': '0' })],
      ['a-token', new Error('ended')],
    );
    try {
      await expect(submitPayment(server.api, paymentSubmission(), noWait)).rejects.toThrow(NoAccessTokenError);
      expect(server.bodies).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  test('an unanswered attempt, then no access token: SubmissionFailedError (it may be stored), caused by it', async () => {
    const submission = paymentSubmission();
    const server = await scriptedServer([cut], ['a-token', new Error('ended')]);
    try {
      const failure = submitPayment(server.api, submission, noWait);
      await expect(failure).rejects.toThrow(SubmissionFailedError);
      await expect(failure).rejects.toMatchObject({ paymentId: submission.id, cause: expect.any(NoAccessTokenError) });
      expect(server.bodies).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  test('a Retry-After longer than the client waits ends the retries with the 503', async () => {
    const server = await scriptedServer([json(503, { status: 503 }, { 'Retry-After': '60' })]);
    try {
      const outcome = await submitPayment(server.api, paymentSubmission(), noWait);
      expect(outcome).toMatchObject({ kind: 'refused', status: 503, attempts: 1 });
    } finally {
      await server.close();
    }
  });
});
