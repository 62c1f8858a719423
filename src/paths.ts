import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's location so the CLI works from any directory. */
export function projectRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(directory, 'package.json')) && existsSync(join(directory, 'knowledge'))) {
      return directory;
    }
    const parent = dirname(directory);
    if (parent === directory) return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
    directory = parent;
  }
}
