import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { NavigatorError } from '../errors.js';

/** Curator-editable rules for sources (knowledge/source-rules.yaml). */
export interface SourceRules {
  /** Host names (and their subdomains) that only copy documents published elsewhere. */
  copySites: string[];
}

export const sourceRulesFileName = 'source-rules.yaml';

const fileSchema = z.object({ copy_sites: z.array(z.string().min(3)).default([]) });

/** Loads the rules; without the file there are no copy sites, but the root-only rule still holds. */
export async function loadSourceRules(knowledgeDir: string): Promise<SourceRules> {
  const path = join(knowledgeDir, sourceRulesFileName);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { copySites: [] };
  }
  const parsed = fileSchema.safeParse(parse(text) ?? {});
  if (!parsed.success)
    throw new NavigatorError(
      'knowledge_invalid',
      `${path}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message} — ` +
        'copy_sites is a list of host names such as slideshare.net',
    );
  return { copySites: parsed.data.copy_sites.map((site) => site.toLowerCase().replace(/^www\./, '')) };
}

/**
 * Whether a URL is only a site's front page or a repository's root: a reader who clicks lands on
 * a list, not on the document that backs the entry.
 */
export function isRootOnly(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  if (path === '' || /^\/(index\.(html?|php)|home|en|fr|es|de)$/i.test(path)) return !parsed.search;
  const host = parsed.hostname.replace(/^www\./, '');
  // github.com/owner or github.com/owner/repo (also …/tree/main): the repository, not a file in it.
  if (host === 'github.com') return /^\/[^/]+(\/[^/]+)?(\/tree\/[^/]+)?$/.test(path);
  return false;
}

/** The copy site a URL is on, if any. */
export function copySiteOf(url: string, rules: SourceRules): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
  return rules.copySites.find((site) => host === site || host.endsWith(`.${site}`));
}

/** One finding about an entry's sources, for the validation report. */
export interface SourceFinding {
  field: 'sources' | 'url';
  index?: number;
  severity: 'error' | 'warning';
  problem: string;
  fix: string;
}

/**
 * The rules: a bare domain or repository root may not be the only source (error); a root among
 * specific sources, or a copy site without a `source_note`, is a warning; a toolkit's own link
 * must be specific unless a `source_note` says why not. A source_note also accepts a root among
 * the sources.
 */
export function checkSources(
  entry: { sources: string[]; url?: string; source_note?: string },
  rules: SourceRules,
): SourceFinding[] {
  const findings: SourceFinding[] = [];
  const roots = entry.sources.map(isRootOnly);
  if (roots.every(Boolean))
    findings.push({
      field: 'sources',
      severity: 'error',
      problem: 'every source is only a front page or a repository root',
      fix: 'cite the specific page or document that backs the entry (an article, a file path, a DOI)',
    });
  else
    roots.forEach((root, index) => {
      if (root && !entry.source_note)
        findings.push({
          field: 'sources',
          index,
          severity: 'warning',
          problem: `${entry.sources[index]} is only a front page or a repository root`,
          fix: 'replace it with the specific page, or remove it',
        });
    });
  entry.sources.forEach((source, index) => {
    const site = copySiteOf(source, rules);
    if (site && !entry.source_note)
      findings.push({
        field: 'sources',
        index,
        severity: 'warning',
        problem: `${source} is on ${site}, which hosts copies`,
        fix: 'cite the official publication, or keep the copy and say why in source_note',
      });
  });
  // A single-page site (a playbook at its own domain) is fine when source_note says so.
  if (entry.url && isRootOnly(entry.url) && !entry.source_note)
    findings.push({
      field: 'url',
      severity: 'error',
      problem: `${entry.url} is only a front page or a repository root`,
      fix: 'link the toolkit itself (e.g. its file inside living-source-files), or explain in source_note',
    });
  return findings;
}
