import { existsSync } from 'node:fs';
import { type Browser, type Page, chromium } from 'playwright-core';

/**
 * Debian's Chromium headless shell (`chromium-headless-shell`, installed by `npm test`'s pretest, scripts/): the same
 * Blink and V8 as the browser without its windowing layers, as Playwright itself uses for headless runs. The three
 * suites that drive it took about a fifth less CPU than with the full `chromium` (chromium.test.ts 38-42 CPU-s against
 * 50-58). Another binary with CHROMIUM_PATH.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium-headless-shell';

/**
 * Flags that keep a headless Chromium quiet on a machine without network or GPU: no sandbox
 * (tests run as root), no QUIC, and no background traffic (updates, sync, safe browsing).
 * playwright-core gives each launch a fresh, empty profile in a temp dir of its own.
 */
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: run scripts/ensure-test-tools.sh (as npm test's pretest does), or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
};

/**
 * What a page reported that a careful user would call a failure: console errors, uncaught exceptions, dialogs.
 * `answeredByDesign` names the requests whose 4xx the page asks for and shows (the web app's "not built yet" 404, a
 * 400's field errors): Chromium logs every non-2xx fetch as a console error, so only those, by URL, are not counted.
 */
export const watchForPageErrors = (page: Page, answeredByDesign?: (url: string) => boolean): string[] => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const failedLoad = message.text().startsWith('Failed to load resource: the server responded with a status of 4');
    if (failedLoad && answeredByDesign?.(message.location().url)) return;
    errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return errors;
};
