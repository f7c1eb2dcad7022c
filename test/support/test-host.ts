import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type Reach = 'connected' | 'refused' | 'no answer';

/**
 * Another machine on a network of the test's own: a network namespace joined to this one by a veth pair with
 * addresses from 10.200.0.0/16 (nothing real is on them, and no traffic leaves the machine). What it reaches at
 * `hostAddress` is what any machine on this machine's network would reach, without touching a real network.
 * Needs root (CAP_NET_ADMIN): without it, this throws, so a test that relies on it fails instead of passing.
 */
export interface TestHost {
  /** This machine's address as the test host sees it (not loopback). */
  hostAddress: string;
  /** Opens a TCP connection from the test host to hostAddress:port. */
  reach(port: number): Promise<Reach>;
  remove(): Promise<void>;
}

const PROBE = `
const socket = require('node:net').connect({ host: process.argv[1], port: Number(process.argv[2]) });
const done = (what) => { console.log(what); socket.destroy(); };
socket.setTimeout(3000, () => done('no answer'));
socket.once('connect', () => done('connected'));
socket.once('error', (error) => done(error.code === 'ECONNREFUSED' ? 'refused' : error.code));
`;

export const createTestHost = async (): Promise<TestHost> => {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'This test builds its own test host (ip netns, a veth pair) to reach the stack from a non-loopback address: run it as root (as CI does)',
    );
  }
  // Unique per run: the subnet's third byte and the names come from the pid.
  const id = process.pid % 250;
  const namespace = `pt-doors-${process.pid}`;
  const hostLink = `ptd${process.pid}h`.slice(0, 15);
  const guestLink = `ptd${process.pid}g`.slice(0, 15);
  const hostAddress = `10.200.${id}.1`;
  const guestAddress = `10.200.${id}.2`;
  const ip = (...args: string[]) => run('ip', args);
  const remove = async (): Promise<void> => {
    // Deleting one end of a veth pair deletes both; the namespace goes with it.
    await ip('link', 'del', hostLink).catch(() => undefined);
    await ip('netns', 'del', namespace).catch(() => undefined);
  };
  try {
    await ip('netns', 'add', namespace);
    await ip('link', 'add', hostLink, 'type', 'veth', 'peer', 'name', guestLink);
    await ip('link', 'set', guestLink, 'netns', namespace);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', hostLink);
    await ip('link', 'set', hostLink, 'up');
    await ip('netns', 'exec', namespace, 'ip', 'addr', 'add', `${guestAddress}/30`, 'dev', guestLink);
    await ip('netns', 'exec', namespace, 'ip', 'link', 'set', guestLink, 'up');
  } catch (error) {
    await remove();
    throw new Error(`Could not build the test host (ip netns, veth): ${(error as Error).message}`, { cause: error });
  }
  return {
    hostAddress,
    reach: async (port) => {
      const { stdout } = await run('ip', [
        'netns',
        'exec',
        namespace,
        process.execPath,
        '-e',
        PROBE,
        hostAddress,
        String(port),
      ]);
      return stdout.trim() as Reach;
    },
    remove,
  };
};
