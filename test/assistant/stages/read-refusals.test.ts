import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRefusals } from '../../../src/assistant/understanding/read-refusals.js';
import { filtersOf, readFilters } from '../../../src/assistant/understanding/read-filters.js';
import { splitMessage } from '../../../src/assistant/understanding/split-message.js';
import { loadVocabulary } from '../../../src/knowledge/vocabulary.js';
import { projectRoot } from '../../../src/paths.js';

const vocabulary = await loadVocabulary(join(projectRoot(), 'knowledge'));
const refused = (text: string) => readRefusals(text, vocabulary.methods).map(({ term }) => term.slug);

describe('methods a message rules out', () => {
  it('reads "not another hackathon", "we don\'t want a chatbot" and "without a citizens\' assembly"', () => {
    expect(refused('we want ideas from citizens, but please not another hackathon')).toEqual([
      'challenge-prizes',
    ]);
    expect(refused("We don't want a chatbot for this")).toEqual(['artificial-intelligence']);
    expect(refused("How do we involve residents without a citizens' assembly?")).toEqual(['deliberation']);
  });

  it('leaves a method the message also asks for, and mentions that are not refusals', () => {
    // AI is wanted; only the chatbot form of it is not.
    expect(refused("How can we use AI to triage claims? We don't want a chatbot")).toEqual([]);
    expect(refused('not only hackathons but also longer programmes')).toEqual([]);
    expect(refused('a hackathon worked well for us')).toEqual([]);
  });

  it('is a hard filter, with a note for the answer', () => {
    const filters = readFilters(
      splitMessage('Ideas for school meals, but not another hackathon?'),
      vocabulary,
    );
    expect(filtersOf(filters, 'hard')).toEqual({ excludedMethods: ['challenge-prizes'] });
    expect(filters[0]).toMatchObject({ note: 'without challenge prizes and competitions' });
  });
});
