import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { ENV } from '#contract/environment';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import { JSON_CONTENT_TYPE } from '#contract/workflow-io';
import { toProblem } from '#contract/problems';
import { SCOPES, parseScopeClaim } from '#contract/scopes';
import { SubmissionError } from '#domain/errors';
import { authorizeSubmission } from '#domain/ownership';
import { storePayment } from '#domain/payment-record';
import { validatePaymentSubmission } from '#domain/validate-payment';
import { requireEnv } from '#adapters/config';
import { createDynamoDbClient, toDocumentClient } from '#adapters/dynamodb-client';
import { DynamoDbPaymentRepository } from '#adapters/payment-repository';
import { LOCAL_INTEGRATION_CLIENT_ID, LOCAL_USER_APP_CLIENT_ID } from '#contract/oauth-clients';
import { verifyAccessToken } from '#local/cognito/access-tokens';
import { loadOrCreateKeyRing, publicJwks } from '#local/cognito/signing-keys';

/**
 * The benchmark's baseline: a submission in one function, with no workflow. The same token
 * check as the local gateway, the same validation (validatePaymentSubmission), the same
 * ownership rule and the same write (one conditional put of the payment item, its index keys on it),
 * through the same DynamoDB client settings the handlers use. No idempotency record: that, the
 * four steps and the interpreter are what the workflow adds, and what the ratio measures.
 *
 * Run as its own process: `tsx bench/direct-server.ts` with PORT, DATA_DIR (the stack's, for its
 * signing key), ISSUER and the handlers' environment. Prints `Ready` when it listens.
 */
const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const main = async (): Promise<void> => {
  const publicKeys = publicJwks(await loadOrCreateKeyRing(requireEnvText('DATA_DIR')));
  const issuer = requireEnvText('ISSUER');
  const repository = new DynamoDbPaymentRepository(
    toDocumentClient(createDynamoDbClient()),
    requireEnv(ENV.paymentsTable),
  );

  const server = createServer((request, response) => {
    const answer = (status: number, body: unknown, contentType = JSON_CONTENT_TYPE): void => {
      response.writeHead(status, { 'Content-Type': contentType });
      response.end(JSON.stringify(body));
    };
    const answerProblem = ({ statusCode, headers, body }: HttpResponse): void => {
      response.writeHead(statusCode, headers);
      response.end(body);
    };
    void (async () => {
      const requestId = randomUUID();
      const receivedAt = new Date();
      try {
        const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
        const caller = await verifyAccessToken(token, {
          jwks: publicKeys,
          issuer,
          allowedClientIds: [LOCAL_USER_APP_CLIENT_ID, LOCAL_INTEGRATION_CLIENT_ID],
        }).catch(() => undefined);
        if (!caller) {
          request.resume();
          answerProblem(problemResponse('Unauthorized', requestId, 'Send a valid access token'));
          return;
        }
        const payment = validatePaymentSubmission(await readBody(request), receivedAt);
        authorizeSubmission({ sub: caller.sub, scopes: parseScopeClaim(caller.scope) }, payment, SCOPES);
        const result = await storePayment(
          {
            ...payment,
            receivedAt: receivedAt.toISOString(),
            requestId,
            clientId: caller.clientId,
            submittedBy: caller.sub,
          },
          repository,
        );
        answer(result.outcome === 'created' ? 201 : 200, result.payment);
      } catch (error) {
        const answered =
          error instanceof SubmissionError
            ? problemResponse(error.name, requestId, error.message, {}, toProblem(error).errors)
            : problemResponse('InternalError', requestId, (error as Error).message);
        answerProblem(answered);
      }
    })();
  });
  server.listen(Number(requireEnvText('PORT')), '127.0.0.1', () => console.log('Ready.'));
  process.on('SIGINT', () => server.close(() => process.exit(0)));
};

function requireEnvText(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

main().catch((error: unknown) => {
  console.error(`The direct server could not start: ${(error as Error).message}`);
  process.exit(1);
});
