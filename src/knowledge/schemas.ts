import { z } from 'zod';

export const facetIds = ['enhancement-oriented', 'mission-oriented', 'adaptive', 'anticipatory'] as const;
export const lifecycleStageIds = [
  'identifying-problems',
  'generating-ideas',
  'developing-proposals',
  'implementing-projects',
  'evaluating-projects',
  'diffusing-lessons',
] as const;
export const levelIds = ['national', 'regional', 'local', 'international'] as const;
export const entryTypes = ['case', 'toolkit', 'skill', 'facet', 'lifecycle-stage', 'topic'] as const;

export type FacetId = (typeof facetIds)[number];
export type LifecycleStageId = (typeof lifecycleStageIds)[number];
export type Level = (typeof levelIds)[number];
export type EntryType = (typeof entryTypes)[number];

/** Folder under knowledge/ that holds each entry type. */
export const folderByType: Record<EntryType, string> = {
  case: 'cases',
  toolkit: 'toolkits',
  skill: 'skills',
  facet: 'facets',
  'lifecycle-stage': 'lifecycle',
  topic: 'topics',
};

/** Body sections (`## Heading`) each type must have; others are allowed. */
export const requiredSections: Record<EntryType, string[]> = {
  case: ['The problem', 'What was done', 'What makes it innovative', 'Results', 'Lessons'],
  toolkit: ['What it is for', 'What is inside', 'When to use it'],
  skill: ['What it looks like in practice', 'How to build it'],
  facet: [],
  'lifecycle-stage': [],
  topic: [],
};

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
  message: 'must be a lowercase slug such as "denmark-free-municipalities"',
});
const url = z.url({ protocol: /^https?$/, message: 'must be a full http(s) URL' });
const year = z
  .number({ message: 'must be a year such as 2019, or null when the sources do not give it' })
  .int()
  .min(1800)
  .max(2100)
  .nullable();
const list = <T extends z.ZodType>(item: T) => z.array(item, { message: 'must be a list, e.g. [a, b]' });
const facets = list(z.enum(facetIds, { message: `must be one of ${facetIds.join(', ')}` })).min(1, {
  message: 'needs at least one facet',
});

const commonFields = {
  id: slug.describe('Stable identifier, the same as the file name without .md'),
  title: z.string().min(3).describe('Short human title'),
  summary: z
    .string()
    .min(40, { message: 'is too short: write two sentences, what it is and why it matters' })
    .describe('Two sentences: what it is, and why it matters to a practitioner'),
  sources: list(url).min(1, { message: 'needs at least one source URL' }).describe('One or more source URLs'),
  related: list(slug).default([]).describe('Ids of related entries (checked to exist)'),
  source_note: z
    .string()
    .min(10)
    .optional()
    .describe('When a source is only a copy or a listing page: which one, and why it is kept'),
};

export const caseSchema = z.object({
  ...commonFields,
  type: z.literal('case').describe('Entry type'),
  country: z.string().describe('Country name as listed in vocabulary.yaml (countries)'),
  level: z
    .enum(levelIds, { message: `must be one of ${levelIds.join(', ')}` })
    .describe('Level of government'),
  organisation: z.string().min(2).describe('The organisation behind the case: whom a peer would approach'),
  organisation_type: z.string().describe('One of vocabulary.yaml organisation_types'),
  team: z.string().optional().describe('Optional named team or unit inside the organisation'),
  year: year.describe('Year launched, or null when unknown'),
  sectors: list(z.string()).min(1).describe('Sectors from vocabulary.yaml (sectors)'),
  lifecycle_stage: z
    .enum(lifecycleStageIds, { message: `must be one of ${lifecycleStageIds.join(', ')}` })
    .describe('How far the innovation has got'),
  facets: facets.describe('Innovation facet(s)'),
  facet_reason: z.string().min(10).describe('One line: why this facet'),
  methods: list(z.string()).min(1).describe('Methods from vocabulary.yaml (methods)'),
  partners: list(z.string()).default([]).describe('Partner organisations'),
  users_and_beneficiaries: list(z.string()).default([]).describe('Who uses or benefits from it'),
});

export const toolkitSchema = z.object({
  ...commonFields,
  type: z.literal('toolkit').describe('Entry type'),
  publisher: z.string().min(2).describe('Who published it'),
  year: year.describe('Year published, or null when unknown'),
  toolkit_type: z.string().describe('One of vocabulary.yaml toolkit_types'),
  disciplines: list(z.string()).min(1).describe('Disciplines from vocabulary.yaml (disciplines)'),
  facets: facets.describe('Facet(s) it serves'),
  lifecycle_stages: list(
    z.enum(lifecycleStageIds, { message: `must be one of ${lifecycleStageIds.join(', ')}` }),
  )
    .min(1)
    .describe('Lifecycle stage(s) it serves'),
  methods: list(z.string()).min(1).describe('Methods from vocabulary.yaml (methods)'),
  licence: z.string().min(2).describe('Licence, e.g. "CC BY 4.0", or "unknown"'),
  reuse: z
    .enum(['remix', 'reuse', 'no-reuse', 'unknown'], { message: 'must be remix, reuse, no-reuse or unknown' })
    .describe('Whether it may be reused or remixed'),
  cost: z
    .enum(['free', 'paid', 'unknown'], { message: 'must be free, paid or unknown' })
    .describe('Cost to use'),
  url: url.describe("The toolkit's own link"),
});

export const skillSchema = z.object({
  ...commonFields,
  type: z.literal('skill').describe('Entry type'),
  kind: z
    .enum(['core-skill', 'competency-area', 'competency', 'role-profile'], {
      message: 'must be core-skill, competency-area, competency or role-profile',
    })
    .describe('Core skill, competency area, a single competency within an area, or role profile'),
  related_skills: list(slug).default([]).describe('Ids of related skills'),
  related_toolkits: list(slug).default([]).describe('Ids of toolkits that help build it'),
});

export const facetSchema = z.object({
  ...commonFields,
  type: z.literal('facet').describe('Entry type'),
  id: z
    .enum(facetIds, { message: `must be one of ${facetIds.join(', ')}` })
    .describe('The facet, also the file name'),
  guiding_question: z.string().min(10).describe('The question the facet asks'),
});

export const lifecycleStageSchema = z.object({
  ...commonFields,
  type: z.literal('lifecycle-stage').describe('Entry type'),
  id: z
    .enum(lifecycleStageIds, { message: `must be one of ${lifecycleStageIds.join(', ')}` })
    .describe('The stage, also the file name'),
  order: z.number().int().min(1).max(6).describe('Position in the lifecycle, 1 to 6'),
});

export const topicSchema = z.object({ ...commonFields, type: z.literal('topic').describe('Entry type') });

export const frontMatterSchema = z.discriminatedUnion('type', [
  caseSchema,
  toolkitSchema,
  skillSchema,
  facetSchema,
  lifecycleStageSchema,
  topicSchema,
]);

export type Case = z.infer<typeof caseSchema>;
export type Toolkit = z.infer<typeof toolkitSchema>;
export type Skill = z.infer<typeof skillSchema>;
export type Facet = z.infer<typeof facetSchema>;
export type LifecycleStage = z.infer<typeof lifecycleStageSchema>;
export type Topic = z.infer<typeof topicSchema>;
export type FrontMatter = z.infer<typeof frontMatterSchema>;

export interface Section {
  heading: string;
  text: string;
}

/** A validated knowledge entry: its front matter, body sections and provenance. */
export type KnowledgeEntry = FrontMatter & {
  sections: Section[];
  /** Path relative to the knowledge directory, e.g. cases/estonia-proactive-family-benefits.md */
  file: string;
  /** sha256 of the file's bytes; changes when the curator edits it. */
  contentHash: string;
};

/** Every lifecycle stage an entry serves (cases have one, toolkits several). */
export function stagesOf(entry: KnowledgeEntry): LifecycleStageId[] {
  if (entry.type === 'case') return [entry.lifecycle_stage];
  if (entry.type === 'toolkit') return entry.lifecycle_stages;
  if (entry.type === 'lifecycle-stage') return [entry.id];
  return [];
}

/** Every facet an entry belongs to. */
export function facetsOf(entry: KnowledgeEntry): FacetId[] {
  if (entry.type === 'case' || entry.type === 'toolkit') return entry.facets;
  if (entry.type === 'facet') return [entry.id];
  return [];
}

/** The entry's primary link: a toolkit's own URL, otherwise its first source. */
export function primaryUrlOf(entry: KnowledgeEntry): string | undefined {
  return entry.type === 'toolkit' ? entry.url : entry.sources[0];
}
