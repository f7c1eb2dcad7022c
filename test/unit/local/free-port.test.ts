import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { freePort } from '#local/free-port';

const ephemeralStart = (): number =>
  Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

const listenOn = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

describe('freePort', () => {
  test('a port below the kernel ephemeral range (no outgoing connection can hold it), free to listen on', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralStart());
    }
    const server = await listenOn(ports[0]!);
    server.close();
  });

  test('a port in use is passed over for the next one drawn', async () => {
    const taken = await listenOn(await freePort());
    const takenPort = (taken.address() as { port: number }).port;
    const other = await freePort();
    const draws = [takenPort, other].map((port) => (port - 10_000 + 0.5) / (ephemeralStart() - 10_000));
    try {
      expect(await freePort(() => draws.shift() ?? Math.random())).toBe(other);
    } finally {
      taken.close();
    }
  });
});
