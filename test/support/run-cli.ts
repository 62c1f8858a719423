import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/paths.js';

const run = promisify(execFile);

/** The compiled `navigator` binary, as npx runs it. */
export const navigatorBin = join(projectRoot(), 'bin', 'navigator.js');

/** Runs the CLI under plain node from an unrelated directory, with only PATH and `environment` set. */
export async function runNavigatorCli(
  args: string[],
  environment: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [navigatorBin, ...args], {
      cwd: '/',
      env: { PATH: process.env.PATH ?? '', ...environment },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
