import { LOCAL_USER_APP_CLIENT_ID, USER_APP_OPENID_SCOPES } from '#contract/oauth-clients';
import { USER_APP_SCOPES } from '#contract/scopes';
import type { WebAppFile } from '#web/web-app-build';
import { webAppContentSecurityPolicy } from '#web/web-app-policy';
import type { WebAppConfig } from '#web/app/web-app-config';
import type { StaticSite } from '#local/cloudfront/static-site';

/** What the web app asks for, as against Cognito: an ID token with the e-mail, and the user app's API scopes. */
export const WEB_APP_SCOPE = [...USER_APP_OPENID_SCOPES, ...USER_APP_SCOPES].join(' ');

/**
 * The customer web app at /app of the local stack, from the files built at start (web/web-app-build.ts) and a
 * config.json naming the local provider: what the deployed bucket and distribution serve, on localhost.
 */
export const webAppSite = (files: readonly WebAppFile[], issuer: string): StaticSite => {
  const config: WebAppConfig = { issuer, clientId: LOCAL_USER_APP_CLIENT_ID, scope: WEB_APP_SCOPE };
  return {
    basePath: '/app',
    files: new Map([
      ...files.map((file) => [file.name, { contentType: file.contentType, body: file.body.toString('utf8') }] as const),
      ['config.json', { contentType: 'application/json', body: JSON.stringify(config) }],
    ]),
    aliases: { '': 'index.html', callback: 'index.html' },
    contentSecurityPolicy: webAppContentSecurityPolicy([new URL(issuer).origin]),
  };
};
