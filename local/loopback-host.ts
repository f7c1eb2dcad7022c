/**
 * The local stack's token-less listeners (the console, the Step Functions API) answer only
 * requests addressed to this machine by name. A web page that rebinds its own host name to
 * 127.0.0.1 (DNS rebinding) reaches the port, but its browser sends the page's name as `Host`.
 */
const LOOPBACK_HOST_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

const hostName = (host: string | undefined): string | undefined =>
  host ? host.toLowerCase().replace(/:\d+$/, '') : undefined;

export const isLoopbackHost = (host: string | undefined): boolean => LOOPBACK_HOST_NAMES.has(hostName(host) ?? '');

/**
 * The Step Functions API also takes the `sync-` host prefix the AWS SDKs and CLI put before the
 * endpoint for StartSyncExecution (`sync-localhost`, once it resolves: see README).
 */
export const isLoopbackSfnHost = (host: string | undefined): boolean => {
  const name = hostName(host) ?? '';
  return LOOPBACK_HOST_NAMES.has(name.startsWith('sync-') ? name.slice('sync-'.length) : name);
};
