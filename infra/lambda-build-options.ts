import path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { REPOSITORY_ROOT } from '#contract/repository-root';

/**
 * How every Lambda is bundled (constructs/lambda-bundles.ts; the benchmarks' bundles too): what NodejsFunction's
 * bundling passed to esbuild for our functions. Node 24, CommonJS, minified, source maps without the sources, and
 * the SDK bundled: the version the handlers are tested with (package-lock), not the runtime's.
 */
export const LAMBDA_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  tsconfig: path.join(REPOSITORY_ROOT, 'tsconfig.json'),
  absWorkingDir: REPOSITORY_ROOT,
  logLevel: 'warning',
} as const satisfies BuildOptions;
