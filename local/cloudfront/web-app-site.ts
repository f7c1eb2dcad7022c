import { LOCAL_USER_APP_CLIENT_ID } from '#local/cognito/token-issuer';
import type { WebAppFile } from '#web/web-app-build';
import { webAppContentSecurityPolicy } from '#web/web-app-policy';
import type { WebAppConfig } from '#web/app/web-app-config';
import type { StaticSite } from '#local/cloudfront/static-site';

/** What the local stack gives the web app to ask for: an ID token, and the user app's read and write scopes. */
export const LOCAL_WEB_APP_SCOPE = 'openid payments/read payments/write';

/**
 * The customer web app at /app of the local stack, from the files built at start (web/web-app-build.ts) and a
 * config.json naming the local provider: what the deployed bucket and distribution serve, on localhost.
 */
export const webAppSite = (files: readonly WebAppFile[], issuer: string): StaticSite => {
  const config: WebAppConfig = { issuer, clientId: LOCAL_USER_APP_CLIENT_ID, scope: LOCAL_WEB_APP_SCOPE };
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
