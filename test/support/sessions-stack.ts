import { gatheredStackAndBrowser } from './chromium-stack';

/** How long the stack's access tokens live: the tests see them expire (and refresh them) within seconds. */
export const ACCESS_TOKEN_SECONDS = 5;

/**
 * One local stack whose access tokens live ACCESS_TOKEN_SECONDS, and one headless Chromium, for the e2e modules
 * gathered in test/e2e/sessions.test.ts (the OpenID provider as a client speaks to it; the web app's session). Each
 * signs in users of its own.
 */
const sessionsStack = gatheredStackAndBrowser({ env: { LOCAL_ACCESS_TOKEN_SECONDS: String(ACCESS_TOKEN_SECONDS) } });
export const sharedSessionsStack = sessionsStack.get;
export const stopSharedSessionsStack = sessionsStack.stop;
