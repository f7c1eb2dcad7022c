import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { UsageError, runCli } from '#devtools/cli-runner';
import { validateMetro2File } from '#domain/metro2/validate';

/**
 * `npm run furnishing -- validate <file>`: checks a Metro 2 furnishing file (from DATA_DIR/furnishing
 * or downloaded from the bucket) with the validator the furnishing step runs. In ops/ beside the other
 * operator CLI: it needs no local stack, only a file. Exit 0 valid, 1 violations, 2 usage.
 */
export const USAGE = `Usage: npm run furnishing -- validate <file>
Prints one line per violation (record, rule, field, message); exit 0 when none, 1 when any, 2 usage.`;

export const main = async (args: string[]): Promise<number> => {
  const [command, path, ...rest] = args;
  if (command !== 'validate' || path === undefined || rest.length > 0)
    throw new UsageError('Expected: validate <file>');
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  const violations = await validateMetro2File(lines);
  for (const { record, rule, field, message } of violations) {
    console.log(`record ${record}: ${rule}${field ? ` (${field})` : ''}: ${message}`);
  }
  console.error(violations.length === 0 ? `${path}: valid` : `${path}: ${violations.length} violation(s)`);
  return violations.length === 0 ? 0 : 1;
};

if (process.argv[1]?.endsWith('furnishing-cli.ts')) void runCli({ usage: USAGE, main });
