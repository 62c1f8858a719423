import type { Vocabulary } from '../../knowledge/vocabulary.js';
import type { ChannelDefaults } from '../answer.js';
import { supportedLanguages, type SupportedLanguage } from './detect-language.js';
import type { ResolvedAsk } from './resolve-follow-up.js';

/**
 * A channel's default region and level join the soft filters: they favour matching entries and
 * never empty an answer. A filter the message asks for (hard) or the asker's own description
 * (soft) on the same field wins over the channel's default; slugs the vocabulary lacks are dropped.
 */
export function withChannelDefaults(
  resolved: ResolvedAsk,
  defaults: ChannelDefaults | undefined,
  vocabulary: Pick<Vocabulary, 'regions' | 'levels'>,
): ResolvedAsk {
  if (!defaults) return resolved;
  const softFilters = { ...resolved.softFilters };
  const fields = [
    ['regions', vocabulary.regions],
    ['levels', vocabulary.levels],
  ] as const;
  for (const [field, known] of fields) {
    const wanted = (defaults[field] ?? []).filter((slug) => known.has(slug));
    const said = resolved.hardFilters[field]?.length || softFilters[field]?.length;
    if (wanted.length > 0 && !said) softFilters[field] = wanted;
  }
  return { ...resolved, softFilters };
}

/**
 * The language to answer in: the message's own when it is clear, else the channel's default
 * (a one-word message in a French channel gets the French note, or a French draft with a model).
 */
export function answerLanguage(
  messageLanguage: SupportedLanguage | undefined,
  defaults: ChannelDefaults | undefined,
): SupportedLanguage {
  const fallback = supportedLanguages.find((language) => language === defaults?.language);
  return messageLanguage ?? fallback ?? 'en';
}
