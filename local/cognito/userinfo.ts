import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseScopeClaim } from '#contract/scopes';
import type { Caller } from '#contract/workflow-io';
import type { LocalAccounts } from '#local/cognito/local-accounts';

/**
 * Cognito's userInfo endpoint: the signed-in user's claims for an access token that carries `openid`, the same token
 * the API takes. (oidc-provider's own userinfo refuses a token with an audience, and every token here is the API's.)
 * One difference: oidc-provider keeps no record of the JWT access tokens it signs, so revoking one (or its refresh
 * token) cannot end it here; it is good until it expires, as it is at the API (Cognito's userInfo would refuse it).
 */
export interface UserinfoOptions {
  accounts: LocalAccounts;
  verifyToken: (token: string) => Promise<Caller>;
}

const refuse = (response: ServerResponse, status: number, error: string, description: string): void => {
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'WWW-Authenticate': `Bearer error="${error}", error_description="${description}"`,
  });
  response.end(JSON.stringify({ error, error_description: description }));
};

export const userinfoHandler =
  (options: UserinfoOptions) =>
  async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    request.resume();
    if (request.method !== 'GET' && request.method !== 'POST') {
      response.writeHead(405, { Allow: 'GET, POST' });
      response.end();
      return;
    }
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token) return refuse(response, 401, 'invalid_token', 'Send an access token: Authorization: Bearer <token>');
    let caller: Caller;
    try {
      caller = await options.verifyToken(token);
    } catch {
      return refuse(response, 401, 'invalid_token', 'The access token is invalid');
    }
    if (!parseScopeClaim(caller.scope).includes('openid')) {
      return refuse(response, 403, 'insufficient_scope', 'The access token needs the openid scope');
    }
    const account = await options.accounts.bySub(caller.sub);
    if (!account) return refuse(response, 401, 'invalid_token', 'No user has this sub');
    response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    response.end(
      JSON.stringify({ sub: account.sub, email: account.email, email_verified: true, username: account.sub }),
    );
  };
