import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NavigatorError } from '../../src/index.js';
import { createZip } from './zip-writer.js';

// The Teams app package: manifest.json with the bot's app id filled in, plus the two icons, zipped
// at the archive root as Teams' "Upload a custom app" expects.

/** The placeholder in manifest.json that packaging replaces with MICROSOFT_APP_ID. */
export const appIdPlaceholder = '{{MICROSOFT_APP_ID}}';
export const packageFiles = ['manifest.json', 'color.png', 'outline.png'] as const;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** adapters/teams/manifest, found from this file whether it runs from the sources or from dist/. */
export function manifestDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [join(directory, 'manifest'), join(directory, 'adapters', 'teams', 'manifest')]) {
      if (existsSync(join(candidate, 'manifest.json'))) return candidate;
    }
    const parent = dirname(directory);
    if (parent === directory)
      throw new NavigatorError(
        'config_invalid',
        'Could not find adapters/teams/manifest/manifest.json; ' +
          'run this from a checkout of the PSI Navigator.',
      );
    directory = parent;
  }
}

/** manifest.json with the app id filled in; refuses an id Teams would reject. */
export function fillManifest(template: string, appId: string): string {
  if (!guid.test(appId)) {
    throw new NavigatorError(
      'config_invalid',
      `MICROSOFT_APP_ID: "${appId}" is not a GUID; ` +
        "copy the bot's Microsoft App ID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) " +
        'from its Azure Bot resource, Configuration page.',
    );
  }
  const filled = template.split(appIdPlaceholder).join(appId.toLowerCase());
  JSON.parse(filled); // a broken manifest fails here rather than in Teams' upload dialog
  return filled;
}

/** The zipped app package, ready for Teams' "Upload a custom app" or the Teams admin center. */
export function buildTeamsAppPackage(appId: string, directory = manifestDirectory()): Buffer {
  const entries = packageFiles.map((name) => {
    const data = readFileSync(join(directory, name));
    return {
      name,
      data: name === 'manifest.json' ? Buffer.from(fillManifest(data.toString('utf8'), appId), 'utf8') : data,
    };
  });
  return createZip(entries);
}
