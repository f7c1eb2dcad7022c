import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type LoadResult, runHttpLoad } from '../../../bench/load-client';

/**
 * The load generator against a real HTTP server on 127.0.0.1 that keeps its own books: what it answered with which
 * status, on how many sockets, how many requests at once, and what each request carried. The client's report must
 * agree with the server's books.
 */
type Reply = 'created' | 'unavailable' | 'hang' | 'cut';

interface Received {
  path: string;
  token: string;
  body: { id?: string; userId?: string; payments?: Array<{ id: string; userId: string }> };
}

const bookkeepingServer = async (replyTo: (index: number) => Reply) => {
  const books = { sockets: 0, inFlight: 0, maxInFlight: 0, statuses: {} as Record<string, number>, hung: 0, cut: 0 };
  // Requests each socket carried, in the order the sockets were opened.
  const perSocket = new Map<Socket, number>();
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    books.inFlight += 1;
    perSocket.set(request.socket, (perSocket.get(request.socket) ?? 0) + 1);
    books.maxInFlight = Math.max(books.maxInFlight, books.inFlight);
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        token: (request.headers.authorization ?? '').replace(/^Bearer /, ''),
        body: JSON.parse(text) as Received['body'],
      });
      const reply = replyTo(received.length);
      // A few ms of work per answer, so that requests overlap as they do against a real server.
      const answer = (status: number, body: unknown): void => {
        setTimeout(() => {
          books.statuses[status] = (books.statuses[status] ?? 0) + 1;
          books.inFlight -= 1;
          response.writeHead(status, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify(body));
        }, 3);
      };
      if (reply === 'created') answer(201, { ok: true });
      else if (reply === 'unavailable') answer(503, { status: 503 });
      else if (reply === 'hang') {
        books.hung += 1;
        books.inFlight -= 1;
        hanging.push(response);
      } else {
        books.cut += 1;
        books.inFlight -= 1;
        request.socket.destroy();
      }
    });
  });
  server.on('connection', () => (books.sockets += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    books,
    received,
    perSocket: () => [...perSocket.values()],
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.socket?.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** Three users, each with its own token. */
const tokensOf = (count: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [randomUUID(), `token-${i}`]));

const answered2xx = (result: LoadResult): number =>
  result.requests - Object.values(result.non2xx).reduce((sum, count) => sum + count, 0);

describe('runHttpLoad (bench/load-client.ts)', () => {
  test('4 connections for 1 s: the counts are the server’s, on exactly 4 sockets, each request its own user’s token', async () => {
    const server = await bookkeepingServer((index) => (index % 5 === 0 ? 'unavailable' : 'created'));
    const tokens = tokensOf(3);
    try {
      const result = await runHttpLoad({ url: server.url, connections: 4, durationSeconds: 1, tokens });

      expect(result.requests).toBe(server.received.length);
      expect(answered2xx(result)).toBe(server.books.statuses[201]);
      expect(result.non2xx).toEqual({ 503: server.books.statuses[503] });
      expect(result).toMatchObject({ errors: 0, timeouts: 0, connections: 4, durationSeconds: 1 });
      expect(result.latencyMs.count).toBe(result.requests);
      expect(result.perSecond).toBeGreaterThan(result.requests / 2);
      expect(result.clientCpuMsPerRequest).toBeGreaterThan(0);
      // Closed loop on keep-alive sockets: as many at once as connections, and never a fifth socket.
      expect(server.books.sockets).toBe(4);
      expect(server.books.maxInFlight).toBe(4);
      // The loop sends again on a socket once it is answered, for the whole duration (not a rate: that would be a
      // clock assert): every socket carried more than its first request.
      expect(server.perSocket()).toHaveLength(4);
      for (const count of server.perSocket()) expect(count).toBeGreaterThan(1);

      expect(new Set(server.received.map((request) => request.path))).toEqual(new Set(['/payments']));
      expect(new Set(server.received.map((request) => request.body.id)).size).toBe(server.received.length);
      for (const { token, body } of server.received) expect(tokens[body.userId!]).toBe(token);
      expect(new Set(server.received.map((request) => request.token)).size).toBe(3);
    } finally {
      await server.close();
    }
  });

  test('batches: POST /payments/batch with batchSize fresh payments of the token’s user', async () => {
    const server = await bookkeepingServer(() => 'created');
    const tokens = tokensOf(2);
    try {
      const result = await runHttpLoad({ url: server.url, connections: 2, durationSeconds: 0.5, tokens, batchSize: 7 });

      expect(result.requests).toBe(server.received.length);
      expect(answered2xx(result)).toBe(server.books.statuses[201]);
      expect(server.books.sockets).toBe(2);
      const payments = server.received.flatMap(({ path, token, body }) => {
        expect(path).toBe('/payments/batch');
        expect(body.payments).toHaveLength(7);
        for (const payment of body.payments!) expect(tokens[payment.userId]).toBe(token);
        return body.payments!;
      });
      expect(new Set(payments.map((payment) => payment.id)).size).toBe(payments.length);
    } finally {
      await server.close();
    }
  });

  test('no answer within the timeout is a timeout, a cut connection an error; neither is a request nor retried', async () => {
    const server = await bookkeepingServer((index) => (index % 3 === 0 ? 'hang' : index % 3 === 1 ? 'cut' : 'created'));
    try {
      const result = await runHttpLoad({
        url: server.url,
        connections: 2,
        durationSeconds: 1,
        tokens: tokensOf(1),
        timeoutSeconds: 0.2,
      });

      expect(server.books.hung).toBeGreaterThan(0);
      expect(server.books.cut).toBeGreaterThan(0);
      expect(result.timeouts).toBe(server.books.hung);
      expect(result.errors).toBe(server.books.cut);
      expect(result.requests).toBe(server.books.statuses[201]);
      expect(result.non2xx).toEqual({});
      // Every request the server saw was sent once: answered, timed out or cut.
      expect(server.received.length).toBe(result.requests + result.timeouts + result.errors);
      expect(new Set(server.received.map((request) => request.body.id)).size).toBe(server.received.length);
    } finally {
      await server.close();
    }
  });
});
