import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isNavigatorError, loadConfig } from '../../src/index.js';
import { buildTeamsAppPackage, manifestDirectory } from './teams-app-package.js';

// `npm run teams:package [-- --app-id <id>] [-- --out <file>]`: zips adapters/teams/manifest/ with the
// bot's app id (MICROSOFT_APP_ID by default) into an app package to upload to Teams.

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

try {
  const appId = option('app-id') ?? loadConfig().teams.appId;
  if (!appId) {
    throw new Error(
      "MICROSOFT_APP_ID is not set: give the bot's Microsoft App ID, " +
        'e.g. MICROSOFT_APP_ID=<id> npm run teams:package (or -- --app-id <id>).',
    );
  }
  const output = resolve(
    option('out') ??
      resolve(manifestDirectory(), '..', '..', '..', 'dist', 'teams', 'psi-navigator-teams.zip'),
  );
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, buildTeamsAppPackage(appId));
  process.stdout.write(
    `Teams app package written to ${output}\n` +
      'Upload it in Teams (Apps → Manage your apps → Upload an app) or in the Teams admin center.\n',
  );
} catch (error) {
  process.stderr.write(
    `${isNavigatorError(error) ? `Error (${error.code}): ` : 'Error: '}${(error as Error).message}\n`,
  );
  process.exitCode = 1;
}
