import type { IncomingMessage } from 'node:http';

/** A request body read whole, up to a limit: the gateway's JSON bodies and the local sign-in forms. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLarge';
}

export const readBody = (request: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(new BodyTooLargeError(`More than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
