/**
 * How our TypeScript runs in a process of its own, as the npm scripts run it (package.json): node with tsx's CommonJS
 * hook, `node --require tsx/cjs` (our modules are CommonJS; ESM-only packages load through Node's own require). Not
 * tsx's command, whose extra process to relay signals costs each start about half a CPU-second, nor `--import tsx`,
 * whose module-hooks thread costs about 0.2 more (a test run starts some hundred stacks and command-line tools).
 */
export const TYPESCRIPT_LOADER: readonly string[] = ['--require', 'tsx/cjs'];

/** aws-local-stepfunctions needs it on Node 20 (local/polyfills.ts): the stack, and what runs the report workflow. */
const POLYFILLS = ['--require', './local/polyfills.ts'];

export interface TypeScriptProcessOptions {
  /** Preload local/polyfills.ts, as `npm start` and `npm run report` do. */
  polyfills?: boolean;
}

/**
 * The command and arguments that run `script` (a path from the repository root, the process's working directory) with
 * `args`, for spawn/execFile.
 */
export const typeScriptProcess = (
  script: string,
  args: readonly string[] = [],
  { polyfills = false }: TypeScriptProcessOptions = {},
): [command: string, args: string[]] => [
  process.execPath,
  [...TYPESCRIPT_LOADER, ...(polyfills ? POLYFILLS : []), script, ...args],
];
