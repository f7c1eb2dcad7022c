import type { Browser } from 'playwright-core';
import { type LocalStackOptions, type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { launchChromium } from './browser';
import { type Gathered, gathered } from './gathered';

/** A local stack started with `options` and one headless Chromium, shared by the modules of one gathering file. */
export const gatheredStackAndBrowser = (options?: LocalStackOptions): Gathered<[RunningLocalStack, Browser]> =>
  gathered(
    () => Promise.all([startLocalStack(options), launchChromium()]) as Promise<[RunningLocalStack, Browser]>,
    async ([stack, browser]) => {
      await browser.close();
      await stack.stop();
    },
  );

/**
 * One local stack (as `npm start` runs it) and one headless Chromium for the e2e modules gathered in
 * test/e2e/chromium.test.ts. Their tests each sign in fresh users and open pages of their own.
 */
const stackAndBrowser = gatheredStackAndBrowser();
export const sharedStackAndBrowser = stackAndBrowser.get;
export const stopSharedStackAndBrowser = stackAndBrowser.stop;
