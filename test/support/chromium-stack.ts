import type { Browser } from 'playwright-core';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { launchChromium } from './browser';

/**
 * One local stack (as `npm start` runs it) and one headless Chromium for the e2e modules gathered in
 * test/e2e/chromium.test.ts: each asks for them in its beforeAll, the first ask starts them, and the gathering file
 * stops them once all are done. Their tests each sign in fresh users and open pages of their own.
 */
let started: Promise<[RunningLocalStack, Browser]> | undefined;

export const sharedStackAndBrowser = (): Promise<[RunningLocalStack, Browser]> =>
  (started ??= Promise.all([startLocalStack(), launchChromium()]));

export const stopSharedStackAndBrowser = async (): Promise<void> => {
  const [stack, browser] = (await started?.catch(() => undefined)) ?? [];
  started = undefined;
  await browser?.close();
  await stack?.stop();
};
