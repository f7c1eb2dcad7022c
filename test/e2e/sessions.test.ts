/**
 * The e2e files that each started a stack with short-lived access tokens and a Chromium (the OpenID provider as a
 * client speaks to it; the web app's session as it lives and ends), gathered into one jest file so they share one
 * start of each (support/sessions-stack.ts), as chromium.test.ts does. Each module signs in users of its own.
 */
import { stopSharedSessionsStack } from '../support/sessions-stack';
import './sessions/openid-provider';
import './sessions/web-app-session';

afterAll(stopSharedSessionsStack);
