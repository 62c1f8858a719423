import type { EntryType } from '../../knowledge/schemas.js';

/** An entry a message may name: "data literacy", "OPSI", "the toolkit of toolkits". */
interface EntryName {
  id: string;
  type: EntryType;
  pattern: RegExp;
  length: number;
  acronym: boolean;
}

/** An entry named in a message, and whether only by an acronym ("OPSI"). */
export interface NamedEntry {
  id: string;
  type: EntryType;
  acronym: boolean;
}

/**
 * The names of entries, read from their titles and the phrases their summaries quote, so that a
 * message naming an entry ("what does data literacy mean for…", "what is OPSI?") gets that entry
 * first rather than whatever shares most words with the rest of the message.
 */
export class EntryNames {
  private readonly names: EntryName[];

  constructor(entries: { id: string; type: EntryType; title: string; summary: string }[]) {
    this.names = entries.flatMap((entry) =>
      namesOf(entry).map((name) => ({
        id: entry.id,
        type: entry.type,
        // Acronyms only count in capitals, so "opsi" in a URL slug or "ai" in a word is no name.
        pattern: isAcronym(name)
          ? new RegExp(`(?<![\\p{L}\\p{N}])${escape(name)}(?![\\p{L}\\p{N}])`, 'u')
          : new RegExp(
              `(?<![\\p{L}\\p{N}])${escape(name).replace(/\s+/g, '[\\s-]+')}(?![\\p{L}\\p{N}])`,
              'iu',
            ),
        length: name.length,
        acronym: isAcronym(name),
      })),
    );
  }

  /** The entries the text names, longest name first, each once. */
  namedIn(text: string): NamedEntry[] {
    const found = this.names.filter((name) => name.pattern.test(text)).sort((a, b) => b.length - a.length);
    const seen = new Set<string>();
    return found.flatMap(({ id, type, acronym }) => {
      if (seen.has(id)) return [];
      seen.add(id);
      return [{ id, type, acronym }];
    });
  }
}

/**
 * The names an entry goes by: "About OPSI, the OECD Observatory…" → "OPSI" and "OECD Observatory…";
 * "Data literacy (Nesta…)" → "Data literacy".
 */
function namesOf(entry: { type: EntryType; title: string; summary: string }): string[] {
  // A case's title is a description ("Estonia's proactive family benefits"), never typed as a name.
  if (entry.type === 'case') return [];
  const title = entry.title
    .replace(/\s*\([^)]*\)\s*/g, ' ')
    .replace(/^the\s+/i, '')
    .trim();
  const names = [title];
  const about = /^about\s+(.+)$/i.exec(title);
  if (about) names.push(...about[1]!.split(/,\s+(?:the\s+)?/));
  const stage = /^stage\s+\d+:\s+(.+)$/i.exec(title);
  if (stage) names.push(stage[1]!);
  // "OPSI's 'toolkit of toolkits'": a phrase the summary puts in quotes is a name people use.
  if (entry.type === 'topic')
    for (const match of entry.summary.matchAll(/["“]([^"”]{6,40})["”]/g)) names.push(match[1]!);
  // One word names a skill ("curiosity"); for anything else it is too common ("Presenting").
  const minWords = entry.type === 'skill' ? 1 : 2;
  return [...new Set(names.map((name) => name.trim()))].filter(
    (name) => isAcronym(name) || (name.length >= 6 && name.split(/\s+/).length >= minWords),
  );
}

function isAcronym(name: string): boolean {
  return /^[A-Z]{3,6}$/.test(name);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
