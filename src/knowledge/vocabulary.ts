import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { NavigatorError } from '../errors.js';
import { tokenize } from '../text/tokenize.js';

const termSchema = z.union([
  z.string(),
  z.object({ label: z.string(), synonyms: z.array(z.string()).default([]) }),
]);
const vocabularyFileSchema = z.object({
  regions: z.record(z.string(), z.string()),
  countries: z.record(z.string(), z.object({ region: z.string(), aliases: z.array(z.string()).default([]) })),
  country_groups: z
    .record(
      z.string(),
      z.object({ countries: z.array(z.string()).min(2), aliases: z.array(z.string()).default([]) }),
    )
    .default({}),
  levels: z.record(z.string(), z.string()),
  organisation_types: z.record(z.string(), z.string()),
  toolkit_types: z.record(z.string(), z.string()),
  disciplines: z.record(z.string(), z.string()),
  methods: z.record(z.string(), termSchema),
  sectors: z.record(z.string(), termSchema),
});

export interface Term {
  slug: string;
  label: string;
  synonyms: string[];
  /** Label and synonyms as token strings (" participatory budgeting "), made once for matching. */
  phrases: string[];
}

export interface Country {
  name: string;
  region: string;
  aliases: string[];
}

/** Countries asked for by one name ("the Nordics"). */
export interface CountryGroup {
  name: string;
  countries: string[];
  aliases: string[];
}

/** The curator-maintained controlled vocabulary (knowledge/vocabulary.yaml). */
export interface Vocabulary {
  regions: Map<string, string>;
  countries: Map<string, Country>;
  countryGroups: CountryGroup[];
  levels: Map<string, string>;
  organisationTypes: Map<string, string>;
  toolkitTypes: Map<string, string>;
  disciplines: Map<string, string>;
  methods: Map<string, Term>;
  sectors: Map<string, Term>;
  /** The raw file text; the index manifest hashes it so a vocabulary edit triggers a rebuild. */
  sourceText: string;
}

export const vocabularyFileName = 'vocabulary.yaml';

const toTerm = (slug: string, label: string, synonyms: string[]): Term => ({
  slug,
  label,
  synonyms,
  phrases: [label, ...synonyms]
    .filter((phrase) => phrase.length > 2)
    .map((phrase) => ` ${tokenize(phrase).join(' ')} `),
});

const toTerms = (record: Record<string, z.infer<typeof termSchema>>) =>
  new Map(
    Object.entries(record).map(([slug, value]): [string, Term] =>
      typeof value === 'string'
        ? [slug, toTerm(slug, value, [])]
        : [slug, toTerm(slug, value.label, value.synonyms)],
    ),
  );

/** Loads knowledge/vocabulary.yaml; a broken vocabulary is fatal because every entry depends on it. */
export async function loadVocabulary(knowledgeDir: string): Promise<Vocabulary> {
  const path = join(knowledgeDir, vocabularyFileName);
  let sourceText: string;
  try {
    sourceText = await readFile(path, 'utf8');
  } catch (cause) {
    throw new NavigatorError(
      'knowledge_invalid',
      `${path}: cannot read the vocabulary file — ` +
        'every knowledge directory needs a vocabulary.yaml (check KNOWLEDGE_DIR).',
      { cause },
    );
  }
  let raw: unknown;
  try {
    raw = parse(sourceText);
  } catch (cause) {
    throw new NavigatorError(
      'knowledge_invalid',
      `${path}: is not valid YAML — ${(cause as Error).message}`,
      { cause },
    );
  }
  const parsed = vocabularyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${path}: ${issue.path.join('.')}: ${issue.message}`);
    throw new NavigatorError('knowledge_invalid', problems.join('\n'));
  }
  const data = parsed.data;
  const unknownRegions = Object.entries(data.countries).filter(
    ([, country]) => !(country.region in data.regions),
  );
  if (unknownRegions.length > 0) {
    throw new NavigatorError(
      'knowledge_invalid',
      unknownRegions
        .map(
          ([name, country]) =>
            `${path}: countries.${name}.region: "${country.region}" is not a region — ` +
            `use one of ${Object.keys(data.regions).join(', ')}`,
        )
        .join('\n'),
    );
  }
  const unknownMembers = Object.entries(data.country_groups).flatMap(([group, { countries }]) =>
    countries
      .filter((country) => !(country in data.countries))
      .map(
        (country) =>
          `${path}: country_groups.${group}.countries: "${country}" is not a country — ` +
          'add it under countries first, or use its name as written there',
      ),
  );
  if (unknownMembers.length > 0) throw new NavigatorError('knowledge_invalid', unknownMembers.join('\n'));
  return {
    regions: new Map(Object.entries(data.regions)),
    countries: new Map(
      Object.entries(data.countries).map(([name, country]) => [
        name,
        { name, region: country.region, aliases: country.aliases },
      ]),
    ),
    countryGroups: Object.entries(data.country_groups).map(([name, group]) => ({ name, ...group })),
    levels: new Map(Object.entries(data.levels)),
    organisationTypes: new Map(Object.entries(data.organisation_types)),
    toolkitTypes: new Map(Object.entries(data.toolkit_types)),
    disciplines: new Map(Object.entries(data.disciplines)),
    methods: toTerms(data.methods),
    sectors: toTerms(data.sectors),
    sourceText,
  };
}
