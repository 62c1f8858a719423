import { stringify } from 'yaml';
import type { EntryType } from './schemas.js';
import { requiredSections } from './schemas.js';

/** Marks a section a curator still has to write; `navigator kb stats` counts them. */
export const sectionToWrite = '_To be written by a curator from the sources._';

/** Serialises front matter and sections into the Markdown layout the loader reads. */
export function renderEntryFile(
  frontMatter: Record<string, unknown>,
  sections: { heading: string; text: string }[],
): string {
  const yaml = stringify(frontMatter, {
    lineWidth: 100,
    defaultStringType: 'PLAIN',
    flowCollectionPadding: false,
  }).trimEnd();
  const body = sections.map((section) => `## ${section.heading}\n${section.text.trim()}\n`).join('\n');
  return `---\n${yaml}\n---\n\n${body}`;
}

/** The required sections of a type, filled from `given` where present, otherwise marked to write. */
export function sectionsFor(
  type: EntryType,
  given: Record<string, string> = {},
): { heading: string; text: string }[] {
  const headings = [...requiredSections[type]];
  for (const heading of Object.keys(given)) if (!headings.includes(heading)) headings.push(heading);
  return headings.map((heading) => ({ heading, text: given[heading]?.trim() || sectionToWrite }));
}

/** A file-name-safe id from a title: "Talk London (GLA)" → "talk-london-gla". */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
}
