import type { InvokeResponse } from 'botbuilder';
import { z } from 'zod';
import type { EntryRecord, Navigator } from '../../src/index.js';
import { truncate } from './card-markdown.js';
import { adaptiveCardContentType, adaptiveCardSchema, type AdaptiveCard } from './render-card.js';

// The search-based message extension (composeExtensions in the manifest): from the compose box or
// the command box, a person searches cases and toolkits and inserts one as a card into the message.

/** The command id in manifest.json's composeExtensions. */
export const searchCommandId = 'searchKnowledge';
const maxResults = 25;

const queryValueSchema = z.object({
  commandId: z.string(),
  parameters: z.array(z.object({ name: z.string(), value: z.unknown() })).default([]),
  queryOptions: z.object({ count: z.number().int().positive().optional() }).optional(),
});

const reply = (composeExtension: Record<string, unknown>): InvokeResponse => ({
  status: 200,
  body: { composeExtension },
});
const note = (text: string) => reply({ type: 'message', text });

/** Answers a `composeExtension/query` invoke with result cards from the Navigator's search. */
export async function answerSearchQuery(navigator: Navigator, value: unknown): Promise<InvokeResponse> {
  const parsed = queryValueSchema.safeParse(value);
  if (!parsed.success || parsed.data.commandId !== searchCommandId)
    return note('PSI Navigator does not know this search command.');
  const query = parsed.data.parameters.find((parameter) => parameter.name === 'query')?.value;
  const text = typeof query === 'string' ? query.trim().slice(0, 500) : '';
  if (!text) return note('Type a topic, for example "participatory budgeting" or "proactive benefits".');
  if (!navigator.search) return note('Search is not available in this deployment.');
  const limit = Math.min(parsed.data.queryOptions?.count ?? 10, maxResults);
  const entries = await navigator.search(text, { types: ['case', 'toolkit'], limit });
  if (entries.length === 0) return note(`No case or toolkit matches "${truncate(text, 80)}".`);
  return reply({
    type: 'result',
    attachmentLayout: 'list',
    attachments: entries.map((entry) => ({
      contentType: adaptiveCardContentType,
      content: entryCard(entry),
      preview: {
        contentType: 'application/vnd.microsoft.card.thumbnail',
        content: { title: truncate(entry.title, 80), text: truncate(facts(entry) || entry.summary, 120) },
      },
    })),
  });
}

/** "case · Estonia · national · 2019": what kind of entry, and where and when for a case. */
function facts(entry: EntryRecord): string {
  const year = entry.year ? String(entry.year) : undefined;
  return [entry.type, entry.country ?? entry.region, entry.level, year].filter(Boolean).join(' · ');
}

/** The card inserted into the message: title, facts, summary, whom to approach, and the source. */
export function entryCard(entry: EntryRecord): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: adaptiveCardSchema,
    version: '1.5',
    body: [
      {
        type: 'TextBlock',
        text: 'PSI Navigator',
        size: 'small',
        weight: 'bolder',
        color: 'accent',
        wrap: true,
      },
      { type: 'TextBlock', text: truncate(entry.title, 150), size: 'medium', weight: 'bolder', wrap: true },
      { type: 'TextBlock', text: facts(entry), isSubtle: true, spacing: 'none', wrap: true },
      { type: 'TextBlock', text: truncate(entry.summary, 600), wrap: true },
      ...(entry.organisation
        ? [{ type: 'TextBlock', text: `Whom to approach: ${truncate(entry.organisation, 200)}`, wrap: true }]
        : []),
    ],
    actions: entry.url ? [{ type: 'Action.OpenUrl', title: 'Open the source', url: entry.url }] : [],
    fallbackText: `${entry.title}: ${truncate(entry.summary, 300)}`,
  };
}
