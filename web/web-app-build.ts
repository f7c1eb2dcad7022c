import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { DESCRIPTION_MAX_LENGTH } from '#domain/description';
import { DISPUTE_TEXT_MAX_LENGTH } from '#domain/dispute';

/**
 * Builds the customer web app (web/app/) into the files a static host serves: index.html, app.js (one ES module
 * bundled by esbuild, minified, with its dependencies: nothing is fetched at run time), app.css and the icon. Built in
 * memory, in well under a second: `npm start` and the tests' stacks build it at start, CDK at synth.
 */
export interface WebAppFile {
  /** Under the app's base path, e.g. `app.js`. */
  name: string;
  contentType: string;
  body: Buffer;
}

const APP_DIR = path.join(__dirname, 'app');

/**
 * The values index.html takes from the API's own rules (its `%NAME%` placeholders), so that the form's limits are the
 * payment schema's and not a copy of them.
 */
const PAGE_VALUES: Readonly<Record<string, string>> = {
  DESCRIPTION_MAX_LENGTH: String(DESCRIPTION_MAX_LENGTH),
  DISPUTE_TEXT_MAX_LENGTH: String(DISPUTE_TEXT_MAX_LENGTH),
};

const withPageValues = (html: string): string =>
  html.replace(/%([A-Z_]+)%/g, (placeholder, name: string) => {
    const value = PAGE_VALUES[name];
    if (value === undefined) throw new Error(`index.html names ${placeholder}, which the build has no value for`);
    return value;
  });

/** The files copied as they are (index.html with its placeholders filled). */
const STATIC_FILES: readonly Omit<WebAppFile, 'body'>[] = [
  { name: 'index.html', contentType: 'text/html; charset=utf-8' },
  { name: 'app.css', contentType: 'text/css; charset=utf-8' },
  { name: 'favicon.svg', contentType: 'image/svg+xml' },
];

/** Synchronous (esbuild's buildSync, ~50 ms), so a CDK construct can build it too. */
export const buildWebApp = (): WebAppFile[] => {
  const bundled = buildSync({
    entryPoints: [path.join(APP_DIR, 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    write: false,
    outfile: 'app.js',
    logLevel: 'silent',
  });
  const script = bundled.outputFiles[0];
  if (!script) throw new Error('esbuild wrote no web app bundle');
  return [
    ...STATIC_FILES.map((file) => {
      const body = readFileSync(path.join(APP_DIR, file.name));
      return { ...file, body: file.name === 'index.html' ? Buffer.from(withPageValues(body.toString('utf8'))) : body };
    }),
    { name: 'app.js', contentType: 'text/javascript; charset=utf-8', body: Buffer.from(script.contents) },
  ];
};
