/**
 * The e2e files that each started a default local stack and a Chromium for the same purpose (pages as a user's browser
 * meets them), gathered into one jest file so they share one start (support/chromium-stack.ts): a stack and a
 * browser cost seconds each, far more under load. Each module keeps its own describe blocks and assertions.
 * console.test.ts keeps a stack of its own: it asserts on the stack's whole list of executions.
 */
import { stopSharedStackAndBrowser } from '../support/chromium-stack';
import './chromium/web-app';
import './chromium/web-app-commitments';
import './chromium/web-app-reversal';
import './chromium/web-app-phone';
import './chromium/web-app-consent-disputes';
import './chromium/page-headers';
import './chromium/docs-page';

afterAll(stopSharedStackAndBrowser);
