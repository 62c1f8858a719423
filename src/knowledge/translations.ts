import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { NavigatorError } from '../errors.js';
import { tokenize } from '../text/tokenize.js';

/** Phrases per language → English, from knowledge/translations.yaml (curator-editable). */
export interface Glossary {
  /** language → (phrase as space-joined tokens → English text) */
  phrases: Map<string, Map<string, string>>;
  /** Longest phrase in tokens, per language: how far the matcher looks ahead. */
  longest: Map<string, number>;
}

export const translationsFileName = 'translations.yaml';

const translationsSchema = z.record(
  z.string().regex(/^[a-z]{2}$/, 'use a two-letter language code such as fr'),
  z.record(z.string(), z.union([z.string(), z.number()]).transform(String)),
);

/** Loads the glossary; a missing file means no offline translation, a broken one names the fix. */
export async function loadGlossary(knowledgeDir: string): Promise<Glossary> {
  const path = join(knowledgeDir, translationsFileName);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { phrases: new Map(), longest: new Map() };
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (cause) {
    throw new NavigatorError(
      'knowledge_invalid',
      `${path}: is not valid YAML — ${(cause as Error).message}. Quote phrases that contain ':' or '#'.`,
      { cause },
    );
  }
  const parsed = translationsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) =>
        `${path}: ${issue.path.join('.')}: ${issue.message} — write "phrase: English" under a language`,
    );
    throw new NavigatorError('knowledge_invalid', problems.join('\n'));
  }
  const phrases = new Map<string, Map<string, string>>();
  const longest = new Map<string, number>();
  for (const [language, entries] of Object.entries(parsed.data)) {
    const table = new Map<string, string>();
    let max = 1;
    for (const [phrase, english] of Object.entries(entries)) {
      const tokens = tokenize(phrase);
      if (tokens.length === 0) continue;
      table.set(tokens.join(' '), english);
      max = Math.max(max, tokens.length);
    }
    phrases.set(language, table);
    longest.set(language, max);
  }
  return { phrases, longest };
}
