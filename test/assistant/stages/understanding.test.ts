import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SpellingDictionary,
  correctSpelling,
} from '../../../src/assistant/understanding/correct-spelling.js';
import { readFilters, filtersOf } from '../../../src/assistant/understanding/read-filters.js';
import {
  readIntents,
  readOrdinal,
  readPortfolioLines,
} from '../../../src/assistant/understanding/read-intents.js';
import { splitMessage } from '../../../src/assistant/understanding/split-message.js';
import { translateToEnglish } from '../../../src/assistant/understanding/translate-to-english.js';
import { loadVocabulary } from '../../../src/knowledge/vocabulary.js';
import { projectRoot } from '../../../src/paths.js';
import { fixtureKnowledgeDir } from '../../support/knowledge-copy.js';

const vocabulary = await loadVocabulary(fixtureKnowledgeDir);
const ask = (text: string) => splitMessage(text);

describe('readFilters: hard only when asked for', () => {
  it('reads an asked-for country, region, level and past year as hard', () => {
    const filters = readFilters(
      ask('Any participatory budgeting examples from local government in Latin America since 2015?'),
      vocabulary,
      2026,
    );
    expect(filtersOf(filters, 'hard')).toEqual({
      levels: ['local'],
      regions: ['latin-america-caribbean'],
      yearFrom: 2015,
    });
  });

  it('reads what the asker says about themselves as soft', () => {
    const filters = readFilters(
      ask("I'm in the digital unit of a state government. Which methods fit proactive benefits?"),
      vocabulary,
      2026,
    );
    expect(filtersOf(filters, 'hard')).toEqual({});
    expect(filtersOf(filters, 'soft')).toEqual({ levels: ['regional'] });
    const dutch = readFilters(
      ask('Our Dutch ministry wants to try foresight. Who has done it?'),
      vocabulary,
      2026,
    );
    expect(dutch.find((filter) => filter.field === 'countries')?.strength).toBe('soft');
  });

  it('never reads future years or years that are part of a topic as filters', () => {
    expect(readFilters(ask('How do we get our agency ready for 2045?'), vocabulary, 2026)).toEqual([]);
    expect(readFilters(ask('Cases since 2030?'), vocabulary, 2026)).toEqual([]);
    expect(
      readFilters(ask('Who works on the 2030 agenda goals from 2030 agenda?'), vocabulary, 2026),
    ).toEqual([]);
  });

  it('reads no level when a message names several ("across national, regional and municipal")', () => {
    const across = readFilters(
      ask('Is anyone using a quality model across national, regional and municipal administrations?'),
      vocabulary,
      2026,
    );
    expect(across.filter((filter) => filter.field === 'levels')).toEqual([]);
    const only = readFilters(ask('Examples from local government only, not national?'), vocabulary, 2026);
    expect(filtersOf(only, 'hard').levels).toEqual(['local']);
  });

  it('reads "in Estonia?" at the end of a question as hard', () => {
    const filters = readFilters(ask('Has anyone made benefits proactive in Estonia?'), vocabulary, 2026);
    expect(filtersOf(filters, 'hard')).toEqual({ countries: ['Estonia'] });
  });

  it('reads a group of countries ("the Nordics") as its member countries, with one note', async () => {
    const real = await loadVocabulary(join(projectRoot(), 'knowledge'));
    const asked = readFilters(ask('Any innovation lab examples from the Nordics?'), real, 2026);
    expect(filtersOf(asked, 'hard')).toEqual({
      countries: ['Denmark', 'Finland', 'Iceland', 'Norway', 'Sweden'],
    });
    expect(new Set(asked.map((filter) => filter.note))).toEqual(new Set(['in the Nordic countries']));
    // Said of the asker, it is context, not a filter.
    const self = readFilters(
      ask('We are a Baltic ministry. Which methods fit proactive benefits?'),
      real,
      2026,
    );
    expect(filtersOf(self, 'hard')).toEqual({});
    expect(filtersOf(self, 'soft').countries).toEqual(['Estonia', 'Latvia', 'Lithuania']);
  });
});

describe('readIntents', () => {
  it('keeps two asks in the order asked', () => {
    expect(readIntents('What would you recommend, and has anyone done something similar?')).toEqual([
      'recommend_methods',
      'peer_cases',
    ]);
    expect(readIntents('Examples of challenge prizes? And is there a guide on how to design one?')).toEqual([
      'peer_cases',
      'recommend_methods',
    ]);
  });

  it('reads a concept question, a skills ask and the ordinal of a follow-up', () => {
    expect(readIntents('What is an innovation portfolio?')).toEqual(['question']);
    expect(readIntents('What skills does my team lack?')).toEqual(['skills']);
    // The public's skills are the challenge, not a team's to build; a team's still are.
    expect(readIntents('who has helped people who are low on digital skills get online?')).toEqual([
      'peer_cases',
    ]);
    expect(readIntents('our staff need digital skills to help residents with low skills')).toContain(
      'skills',
    );
    expect(readOrdinal('tell me more about the second one')).toBe(2);
    expect(readOrdinal('and the last one')).toBe(-1);
    expect(readPortfolioLines('Our projects:\n- a chatbot\n- a foresight unit')).toEqual([
      'a chatbot',
      'a foresight unit',
    ]);
  });
});

describe('splitMessage', () => {
  it('labels greetings and self-introductions, and keeps the challenge part of an introduction', () => {
    const sentences = splitMessage(
      "Hi all! I'm a policy adviser in a city. We run a benefit nobody claims. How do we reach people?",
    );
    expect(
      sentences.map((sentence) => [sentence.isPleasantry, sentence.isSelfDescription, sentence.isAsk]),
    ).toEqual([
      [true, false, false],
      [false, true, false],
      [false, false, false],
      [false, false, true],
    ]);
    const turn = splitMessage("I'm in a ministry and we want to test a four-day week.");
    expect(turn[0]!.isSelfDescription).toBe(false);
    expect(turn[0]!.text).toBe('and we want to test a four-day week.');
  });

  it('drops a greeting in front of an ask, not the ask', () => {
    const [sentence] = splitMessage('hi all design thinking toolkits for a small city team?');
    expect(sentence!.isPleasantry).toBe(false);
    expect(sentence!.text).toBe('design thinking toolkits for a small city team?');
  });
});

describe('correctSpelling', () => {
  const dictionary = new SpellingDictionary(
    [
      'participatory budgeting in cities',
      'it cites two cases',
      'strategic foresight and forest policy',
      'behavioural insights',
      'design',
    ],
    ['participatory budgeting', 'strategic foresight', 'behavioural insights'],
  );

  it('corrects misspellings and sound-alikes towards the knowledge base words', () => {
    expect(correctSpelling('partcipatory budgetting', dictionary).text).toBe('participatory budgeting');
    expect(correctSpelling('foresite', dictionary).text).toBe('foresight');
    expect(correctSpelling('behavorial insights', dictionary).text).toBe('behavioural insights');
    expect(correctSpelling('desing', dictionary).corrections).toEqual(['desing → design']);
    // A -y word's plural written -ys: "cities", though "cites" is one edit closer.
    expect(correctSpelling('which citys did it', dictionary).text).toBe('which cities did it');
  });

  it('leaves known words, short words and unrelated words alone', () => {
    expect(correctSpelling('recipe for lasagne with spinach', dictionary).corrections).toEqual([]);
    expect(correctSpelling('the forest', dictionary).corrections).toEqual([]);
  });
});

describe('translateToEnglish', () => {
  const glossary = {
    phrases: new Map([
      [
        'fr',
        new Map([
          ['budget participatif', 'participatory budgeting'],
          ['qui a', 'who has'],
          ['communes', 'municipalities'],
        ]),
      ],
    ]),
    longest: new Map([['fr', 2]]),
  };

  it('translates the longest phrases first, drops function words and keeps names and punctuation', () => {
    expect(
      translateToEnglish(
        'Qui a fait un budget participatif dans les communes de Porto Alegre ?',
        'fr',
        glossary,
      ),
    ).toBe('Who has participatory budgeting municipalities porto alegre?');
  });

  it('leaves English and languages without a glossary as they are', () => {
    expect(translateToEnglish('Who has?', 'en', glossary)).toBe('Who has?');
    expect(translateToEnglish('Wer hat?', 'de', glossary)).toBe('Wer hat?');
  });
});
