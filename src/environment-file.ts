import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './paths.js';

/** A .env in the project root is honoured, as .env.example describes; the real environment wins. */
export function loadEnvironmentFile(): void {
  const file = join(projectRoot(), '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}
