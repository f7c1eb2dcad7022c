import { LOCAL_INTEGRATION_CLIENT_ID } from '#contract/oauth-clients';
import { INTEGRATION_SCOPES } from '#contract/scopes';
import type { RunningLocalStack } from '#devtools/local-stack-process';

/**
 * The trusted integration's access token with its own scopes (a bank feed's), signed by the stack: for the
 * integration itself, or under a test's own subject (`sub`), so that the test's rate share and data are its own.
 */
export const integrationToken = (
  stack: Pick<RunningLocalStack, 'token'>,
  sub: string = LOCAL_INTEGRATION_CLIENT_ID,
): Promise<string> => stack.token({ sub, clientId: LOCAL_INTEGRATION_CLIENT_ID, scope: INTEGRATION_SCOPES.join(' ') });
