import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP port free right now on localhost: lets tests run several stacks side by side. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
