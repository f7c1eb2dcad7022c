import { execFile } from 'node:child_process';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { loadOrCreateKeyRing } from '#local/cognito/signing-keys';
import { scratchDir } from '../support/scratch-dir';
import { typeScriptProcess } from '#devtools/typescript-process';

/** `npm run keys -- <command>` without npm's own output: the command behind the script. */
const keysCli = (args: string[], dataDir: string): Promise<{ status: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      ...typeScriptProcess('local/cli/keys-cli.ts', args),
      { cwd: REPOSITORY_ROOT, env: { ...process.env, DATA_DIR: dataDir } },
      (error, stdout, stderr) => resolve({ status: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });

describe('npm run keys', () => {
  test('list, rotate, retire: each prints the ring as the file now holds it', async () => {
    const dataDir = scratchDir('keys-cli-');
    const listed = await keysCli(['list'], dataDir);
    expect(listed.status).toBe(0);
    const first = await loadOrCreateKeyRing(dataDir);
    expect(listed.stdout).toContain(`current  ${first.current.kid}  (signs)`);

    const rotated = await keysCli(['rotate'], dataDir);
    const second = await loadOrCreateKeyRing(dataDir);
    expect(rotated.stdout).toContain(`Rotated: ${second.current.kid} signs from now on.`);
    expect(rotated.stdout).toContain(`previous ${first.current.kid}`);

    const retired = await keysCli(['retire'], dataDir);
    expect(retired.stdout).toContain(`Retired ${first.current.kid}`);
    expect((await loadOrCreateKeyRing(dataDir)).keys.map((key) => key.kid)).not.toContain(first.current.kid);
    expect((await keysCli(['retire'], dataDir)).stdout).toContain('No previous key to retire.');
  });

  test.each([[[]], [['spin']], [['rotate', 'retire']]])('a usage error (%j) exits 2 with the usage', async (args) => {
    const run = await keysCli(args, scratchDir('keys-cli-'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Usage: npm run keys -- <list|rotate|retire>');
  });
});
