import type { Browser } from 'playwright-core';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { launchChromium } from './browser';
import { gathered } from './gathered';

/**
 * One local stack (as `npm start` runs it) and one headless Chromium for the e2e modules gathered in
 * test/e2e/chromium.test.ts. Their tests each sign in fresh users and open pages of their own.
 */
const stackAndBrowser = gathered(
  () => Promise.all([startLocalStack(), launchChromium()]) as Promise<[RunningLocalStack, Browser]>,
  async ([stack, browser]) => {
    await browser.close();
    await stack.stop();
  },
);
export const sharedStackAndBrowser = stackAndBrowser.get;
export const stopSharedStackAndBrowser = stackAndBrowser.stop;
