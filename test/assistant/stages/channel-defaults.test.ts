import { describe, expect, it } from 'vitest';
import { answerLanguage, withChannelDefaults } from '../../../src/assistant/stages/channel-defaults.js';
import { languageIfSure } from '../../../src/assistant/stages/detect-language.js';
import type { ResolvedAsk } from '../../../src/assistant/stages/resolve-follow-up.js';

const vocabulary = {
  regions: new Map([
    ['europe', 'Europe'],
    ['asia-pacific', 'Asia-Pacific'],
  ]),
  levels: new Map([
    ['local', 'Local government'],
    ['national', 'National government'],
  ]),
};

const resolved = (overrides: Partial<ResolvedAsk> = {}): ResolvedAsk => ({
  topic: 'participatory budgeting',
  intents: ['peer_cases'],
  hardFilters: {},
  softFilters: {},
  hardNotes: [],
  ...overrides,
});

describe('withChannelDefaults', () => {
  it('adds the channel default region and level as soft filters, never as hard ones', () => {
    const result = withChannelDefaults(resolved(), { regions: ['europe'], levels: ['local'] }, vocabulary);
    expect(result.softFilters).toEqual({ regions: ['europe'], levels: ['local'] });
    expect(result.hardFilters).toEqual({});
    expect(result.hardNotes).toEqual([]);
  });

  it('leaves a field alone when the message asks for it (hard) or the asker describes it (soft)', () => {
    const result = withChannelDefaults(
      resolved({ hardFilters: { regions: ['asia-pacific'] }, softFilters: { levels: ['national'] } }),
      { regions: ['europe'], levels: ['local'] },
      vocabulary,
    );
    expect(result.hardFilters).toEqual({ regions: ['asia-pacific'] });
    expect(result.softFilters).toEqual({ levels: ['national'] });
  });

  it('drops slugs the vocabulary does not know and changes nothing without defaults', () => {
    expect(withChannelDefaults(resolved(), { regions: ['atlantis'] }, vocabulary).softFilters).toEqual({});
    const unchanged = resolved();
    expect(withChannelDefaults(unchanged, undefined, vocabulary)).toBe(unchanged);
  });
});

describe('answerLanguage', () => {
  it("uses the message's language when it is clear, the channel's when the message is unsure", () => {
    expect(languageIfSure('budgeting')).toBeUndefined();
    expect(answerLanguage(languageIfSure('budgeting'), { language: 'fr' })).toBe('fr');
    expect(answerLanguage(languageIfSure('Who has used participatory budgeting?'), { language: 'fr' })).toBe(
      'en',
    );
    expect(answerLanguage(languageIfSure('Qui a utilisé le budget participatif ?'), { language: 'de' })).toBe(
      'fr',
    );
    expect(answerLanguage(undefined, { language: 'xx' })).toBe('en');
    expect(answerLanguage(undefined, undefined)).toBe('en');
  });
});
