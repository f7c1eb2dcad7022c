import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Ports below the kernel's ephemeral range: an outgoing connection never takes one as its local port. A port from
 * `listen(0)` is an ephemeral one, and a busy test run opens thousands of connections: one of them could hold the
 * port between the check and the stack's own bind (EADDRINUSE, seen under three jest workers).
 */
const LOWEST_PORT = 10_000;
const FALLBACK_EPHEMERAL_START = 32_768;
const ATTEMPTS = 200;

/** The first port of the kernel's ephemeral range (Linux), or the IANA default elsewhere. */
const ephemeralStart = (): number => {
  try {
    const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const port = Number(start);
    return Number.isInteger(port) && port > LOWEST_PORT + 1_000 ? port : FALLBACK_EPHEMERAL_START;
  } catch {
    return FALLBACK_EPHEMERAL_START;
  }
};

const bindsOn = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** A TCP port free right now on localhost, outside the ephemeral range: lets tests run several stacks side by side. */
export const freePort = async (random: () => number = Math.random): Promise<number> => {
  const end = ephemeralStart();
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const port = LOWEST_PORT + Math.floor(random() * (end - LOWEST_PORT));
    if (await bindsOn(port)) return port;
  }
  throw new Error(`No free port below ${end} in ${ATTEMPTS} attempts`);
};
