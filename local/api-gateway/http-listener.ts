import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections and waits for requests in flight to be answered. */
  close(): Promise<void>;
}

/** Listens on localhost (port 0: any free one) and reports the URL the stack prints. */
export const listen = async (server: Server, port: number, host = '127.0.0.1'): Promise<RunningServer> => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
};
