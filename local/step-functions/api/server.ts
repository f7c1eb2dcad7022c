import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type RunningServer, listen } from '#local/api-gateway/http-listener';
import { isLoopbackSfnHost } from '#local/loopback-host';
import { SfnError } from '#local/step-functions/api/errors';
import { OPERATIONS, type Request, type SfnBackend } from '#local/step-functions/api/operations';

/**
 * The Step Functions API on localhost, in AWS's JSON 1.0 protocol: POST / with
 * `X-Amz-Target: AWSStepFunctions.<Operation>` and a JSON body; answers JSON, dates in epoch
 * seconds, errors as HTTP 400 `{"__type", "message"}`. Any SigV4 signature and region are
 * accepted unchecked (a local tool, like DynamoDB Local), so the AWS SDKs and CLI work unchanged.
 * This port is the local stack's IAM: whoever reaches it may start a submission with any caller,
 * `submit-on-behalf` included. So it answers only requests addressed to this machine by name (a
 * web page on a DNS-rebinding domain sends its own name as Host: 403 AccessDeniedException).
 */
export interface SfnApiOptions extends SfnBackend {
  port: number;
  host?: string;
  log?: (entry: Record<string, unknown>) => void;
}

export type RunningSfnApi = RunningServer;

const CONTENT_TYPE = 'application/x-amz-json-1.0';
// StartExecution's input is at most 256 KiB; its JSON envelope adds a little.
const MAX_REQUEST_BYTES = 1024 * 1024;

const readJson = async (request: IncomingMessage): Promise<Request> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES)
      throw new SfnError('ValidationException', `The request is larger than ${MAX_REQUEST_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SfnError('SerializationException', 'The request body is not JSON', 400, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SfnError('SerializationException', 'The request body must be a JSON object');
  }
  return parsed as Request;
};

const answer = (response: ServerResponse, requestId: string, status: number, body: unknown): void => {
  response.writeHead(status, { 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': requestId });
  response.end(JSON.stringify(body));
};

export const startSfnApi = async (options: SfnApiOptions): Promise<RunningSfnApi> => {
  const log = options.log ?? (() => undefined);
  const backend: SfnBackend = {
    workflows: options.workflows,
    executions: options.executions,
    startedAt: options.startedAt,
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const target = String(request.headers['x-amz-target'] ?? '');
    try {
      if (!isLoopbackSfnHost(request.headers.host)) {
        throw new SfnError(
          'AccessDeniedException',
          'The local Step Functions API answers only requests addressed to localhost or 127.0.0.1',
          403,
        );
      }
      if (request.method !== 'POST')
        throw new SfnError('UnknownOperationException', 'Send POST / with an X-Amz-Target header');
      const operation = OPERATIONS[target];
      if (!operation) throw new SfnError('UnknownOperationException', `Unknown operation: '${target}'`);
      answer(response, requestId, 200, await operation(backend, await readJson(request)));
      log({ requestId, operation: target, status: 200 });
    } catch (error) {
      request.resume();
      if (error instanceof SfnError) {
        answer(response, requestId, error.statusCode, { __type: error.errorName, message: error.message });
        log({ requestId, operation: target, status: error.statusCode, error: error.errorName });
        return;
      }
      log({ requestId, operation: target, status: 500, error: (error as Error).message });
      answer(response, requestId, 500, {
        __type: 'InternalServerError',
        message: 'The local Step Functions API failed',
      });
    }
  };

  const server: Server = createServer((request, response) => {
    void handle(request, response);
  });
  return listen(server, options.port, options.host);
};
