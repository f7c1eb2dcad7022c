import type { IncomingMessage } from 'node:http';
import {
  type HttpResponse,
  problemResponse,
  requestBodyText,
  toHttpResponse,
  toSubmissionInput,
} from '#contract/http-mapping';
import type { Route, SyncWorkflowIntegration } from '#contract/routes';
import type { WorkflowDefinition } from '#contract/workflows';
import { JSON_CONTENT_TYPE } from '#contract/workflow-io';
import { type Admit, type ChargeItems, isAnswer } from '#local/api-gateway/authorizer';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { BodyTooLargeError, readBody } from '#local/request-body';

/**
 * A workflow route's integration, as API Gateway's StartSyncExecution integration with its mapping templates: a JSON
 * body of at most the route's `maxBodyBytes`, the request mapped to the workflow input, the finished execution to the answer.
 */
export type RunWorkflow = (
  workflow: WorkflowDefinition<'EXPRESS'>,
  executionName: string,
  input: unknown,
) => Promise<ExecutionRecord>;

const isJsonContentType = (header: string | undefined): boolean => {
  if (!header) return false;
  const [mediaType, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== JSON_CONTENT_TYPE) return false;
  return parameters.every((parameter) => !parameter.startsWith('charset=') || parameter === 'charset=utf-8');
};

export interface WorkflowCall {
  route: Route;
  serve: SyncWorkflowIntegration;
  request: IncomingMessage;
  requestId: string;
  receivedAt: number;
}

export const workflowIntegration =
  (admit: Admit, chargeItems: ChargeItems, runWorkflow: RunWorkflow, log: (entry: Record<string, unknown>) => void) =>
  async ({ route, serve, request, requestId, receivedAt }: WorkflowCall): Promise<HttpResponse> => {
    const { workflow, maxBodyBytes } = serve;
    // A declared length over the limit is refused before the token is even looked at (the web ACL's rule comes first).
    const declaredLength = Number(request.headers['content-length'] ?? 0);
    if (declaredLength > maxBodyBytes) {
      request.resume();
      return problemResponse('PayloadTooLarge', requestId, `The body may be at most ${maxBodyBytes} bytes`);
    }
    const caller = await admit(request, requestId, route);
    if (isAnswer(caller)) return caller;
    if (!isJsonContentType(request.headers['content-type'])) {
      request.resume();
      return problemResponse('UnsupportedMediaType', requestId, 'Send the payment as Content-Type: application/json');
    }
    let body: string;
    try {
      body = requestBodyText(await readBody(request, maxBodyBytes));
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return problemResponse('PayloadTooLarge', requestId, `The body may be at most ${maxBodyBytes} bytes`);
      }
      if (error instanceof TypeError) {
        return problemResponse('InvalidJson', requestId, 'The body is not valid UTF-8');
      }
      throw error;
    }
    // A batch's payments beyond the first are charged now that the body says how many (429: nothing submitted).
    const throttled = serve.items && chargeItems(request, requestId, caller, serve.items.count(body));
    if (throttled) return throttled;
    const input = toSubmissionInput({ requestId, receivedAtEpochMs: receivedAt, body, caller });
    const execution = await runWorkflow(workflow, requestId, input);
    log({ executionArn: execution.executionArn, executionStatus: execution.status, clientId: caller.clientId });
    return toHttpResponse(execution, requestId);
  };
