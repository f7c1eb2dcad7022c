import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Context } from 'aws-lambda';
import type { HttpResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, type StreamedHttpResponse, isStreamed } from '#contract/read-api';

/**
 * What the Lambda Node.js runtime provides as the global `awslambda` for response streaming:
 * `streamifyResponse` marks a handler as streaming, and `HttpResponseStream.from` writes the
 * status and headers (the JSON prelude and delimiter API Gateway's streaming proxy integration
 * reads) before the body.
 */
export interface LambdaStreamingRuntime {
  streamifyResponse: (
    handler: (event: ReadRequestEvent, responseStream: Writable, context: Context) => Promise<void>,
  ) => unknown;
  HttpResponseStream: {
    from: (responseStream: Writable, metadata: { statusCode: number; headers: Record<string, string> }) => Writable;
  };
}

/** Thrown when a streaming handler is invoked outside Lambda's runtime (locally the gateway calls the answer itself). */
export class MissingStreamingRuntimeError extends Error {
  override readonly name = 'MissingStreamingRuntime';
}

/** Lambda's global, when it streams: elsewhere `awslambda` may exist without it (Powertools' invoke store defines one). */
const lambdaRuntime = (): LambdaStreamingRuntime | undefined => {
  const runtime = (globalThis as { awslambda?: Partial<LambdaStreamingRuntime> }).awslambda;
  return typeof runtime?.streamifyResponse === 'function' ? (runtime as LambdaStreamingRuntime) : undefined;
};

/**
 * A Lambda handler that streams `answer`'s body as it is produced. A failure before the first
 * chunk is already an HttpResponse (the answer function maps it); a failure while streaming
 * destroys the stream, so API Gateway cuts the connection and the client sees an incomplete
 * body rather than a complete-looking short file.
 */
export const streamingHandler = (
  answer: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse | StreamedHttpResponse>,
  runtime: LambdaStreamingRuntime | undefined = lambdaRuntime(),
): unknown => {
  if (!runtime) {
    return async () => {
      throw new MissingStreamingRuntimeError(
        'This handler streams its response: it runs in the Lambda runtime (awslambda.streamifyResponse)',
      );
    };
  }
  return runtime.streamifyResponse(async (event, responseStream, context) => {
    const result = await answer(event, context);
    const output = runtime.HttpResponseStream.from(responseStream, {
      statusCode: result.statusCode,
      headers: result.headers,
    });
    await pipeline(isStreamed(result) ? Readable.from(result.body) : Readable.from([result.body]), output);
  });
};
