import { PassThrough, Writable } from 'node:stream';
import type { Context } from 'aws-lambda';
import type { ReadRequestEvent, StreamedHttpResponse } from '#contract/read-api';
import type { HttpResponse } from '#contract/http-mapping';
import { type LambdaStreamingRuntime, MissingStreamingRuntimeError, streamingHandler } from '#adapters/response-stream';

/**
 * A stand-in for Lambda's `awslambda` global (a unit test of this one adapter): it records the
 * metadata HttpResponseStream.from receives and what is written after it, as API Gateway would.
 */
const fakeRuntime = () => {
  const written: {
    metadata?: { statusCode: number; headers: Record<string, string> };
    chunks: string[];
    ended: boolean;
  } = { chunks: [], ended: false };
  const runtime: LambdaStreamingRuntime = {
    streamifyResponse: (handler) => handler,
    HttpResponseStream: {
      from: (responseStream, metadata) => {
        written.metadata = metadata;
        return responseStream;
      },
    },
  };
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written.chunks.push(chunk.toString());
      callback();
    },
    final(callback) {
      written.ended = true;
      callback();
    },
  });
  return { runtime, sink, written };
};

type Streaming = (event: ReadRequestEvent, stream: Writable, context: Context) => Promise<void>;
const event = {
  pathParameters: null,
  queryStringParameters: null,
  requestContext: { requestId: 'r1' },
} as ReadRequestEvent;
const context = {} as Context;

async function* chunks(...texts: string[]): AsyncGenerator<string> {
  for (const text of texts) yield text;
}

describe('streamingHandler', () => {
  test('writes the status and headers first, then each chunk of a streamed body, then ends', async () => {
    const { runtime, sink, written } = fakeRuntime();
    const answer: StreamedHttpResponse = {
      statusCode: 200,
      headers: { 'Content-Type': 'text/csv' },
      body: chunks('a,b\r\n', '1,2\r\n'),
    };
    await (streamingHandler(async () => answer, runtime) as Streaming)(event, sink, context);
    expect(written).toEqual({
      metadata: { statusCode: 200, headers: { 'Content-Type': 'text/csv' } },
      chunks: ['a,b\r\n', '1,2\r\n'],
      ended: true,
    });
  });

  test('an ordinary answer (a 400 problem) is written whole after its status', async () => {
    const { runtime, sink, written } = fakeRuntime();
    const problem: HttpResponse = {
      statusCode: 400,
      headers: { 'Content-Type': 'application/problem+json' },
      body: '{"status":400}',
    };
    await (streamingHandler(async () => problem, runtime) as Streaming)(event, sink, context);
    expect(written).toMatchObject({ metadata: { statusCode: 400 }, chunks: ['{"status":400}'], ended: true });
  });

  test('a failure while streaming rejects and destroys the stream: the body is cut, never ended as if complete', async () => {
    const { runtime } = fakeRuntime();
    const sink = new PassThrough();
    sink.resume();
    async function* failing(): AsyncGenerator<string> {
      yield 'a,b\r\n';
      throw new Error('store down');
    }
    const run = (
      streamingHandler(async () => ({ statusCode: 200, headers: {}, body: failing() }), runtime) as Streaming
    )(event, sink, context);
    await expect(run).rejects.toThrow('store down');
    expect(sink.destroyed).toBe(true);
    expect(sink.writableFinished).toBe(false);
  });

  test("outside Lambda's streaming runtime the handler refuses to run", async () => {
    const handler = streamingHandler(
      async () => ({ statusCode: 200, headers: {}, body: '' }),
      undefined,
    ) as () => Promise<void>;
    await expect(handler()).rejects.toThrow(MissingStreamingRuntimeError);
  });
});
