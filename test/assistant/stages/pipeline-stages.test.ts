import { describe, expect, it } from 'vitest';
import type { Answer } from '../../../src/assistant/answer.js';
import { emptyAnswer } from '../../../src/assistant/answer.js';
import {
  MemoryConversationStore,
  type ConversationState,
} from '../../../src/assistant/conversation-store.js';
import { rememberTurn } from '../../../src/assistant/stages/remember.js';
import { resolveFollowUp } from '../../../src/assistant/stages/resolve-follow-up.js';
import { settleIntents } from '../../../src/assistant/stages/settle-intents.js';
import type { Understanding } from '../../../src/assistant/stages/understand.js';
import {
  SpellingDictionary,
  correctSpelling,
} from '../../../src/assistant/understanding/correct-spelling.js';
import { EntryNames } from '../../../src/assistant/understanding/entry-names.js';
import { commonEnglishWords } from '../../../src/text/common-english.js';

const understanding = (overrides: Partial<Understanding>): Understanding => ({
  intents: ['peer_cases'],
  topic: 'proactive benefits',
  filters: [],
  refinesPrevious: false,
  projects: [],
  english: 'proactive benefits',
  corrections: [],
  named: [],
  asks: '',
  ...overrides,
});

const previous: ConversationState = {
  topic: 'participatory budgeting',
  intent: 'question',
  filters: { regions: ['europe'] },
  filterNotes: ['in Europe'],
  listed: ['a', 'b'],
  history: [],
  updatedAt: 0,
};

describe('resolveFollowUp', () => {
  it('narrows the previous question when the message only adds a filter', () => {
    const resolved = resolveFollowUp(
      understanding({
        topic: 'only local government',
        refinesPrevious: true,
        filters: [{ field: 'levels', value: 'local', strength: 'hard', note: 'local government' }],
      }),
      previous,
    );
    expect(resolved).toEqual({
      topic: 'participatory budgeting',
      // A concept question narrowed by a place or level asks for cases there.
      intents: ['peer_cases'],
      hardFilters: { regions: ['europe'], levels: ['local'] },
      softFilters: {},
      hardNotes: ['in Europe', 'local government'],
    });
  });

  it('lets a new question stand alone, with its soft filters apart from the hard ones', () => {
    const resolved = resolveFollowUp(
      understanding({
        filters: [
          { field: 'levels', value: 'regional', strength: 'soft', note: 'regional or state government' },
          { field: 'countries', value: 'Estonia', strength: 'hard', note: 'in Estonia' },
        ],
      }),
      previous,
    );
    expect(resolved.topic).toBe('proactive benefits');
    expect(resolved.hardFilters).toEqual({ countries: ['Estonia'] });
    expect(resolved.softFilters).toEqual({ levels: ['regional'] });
  });

  it('reads a facet named in a concept question as its subject, not a filter', () => {
    const resolved = resolveFollowUp(
      understanding({
        intents: ['question'],
        filters: [{ field: 'facets', value: 'anticipatory', strength: 'hard', note: 'anticipatory facet' }],
      }),
      undefined,
    );
    expect(resolved.hardFilters.facets).toBeUndefined();
    expect(resolved.hardNotes).toEqual([]);
  });
});

describe('settleIntents', () => {
  const kind = { challengeKinds: [{ kind: {} as never, cue: 'nobody owns' }] };
  it('turns a bare question about a known kind of challenge into a request for methods', () => {
    expect(settleIntents(['question'], 'how does one get out of this', kind, {})).toEqual([
      'recommend_methods',
    ]);
  });
  it('turns a bare question with a level or place into a request for cases there', () => {
    expect(
      settleIntents(['question'], 'basic income pilots', { challengeKinds: [] }, { levels: ['local'] }),
    ).toEqual(['peer_cases']);
  });
  it('keeps definitions and asks that were already practical', () => {
    expect(settleIntents(['question'], 'what is a wicked problem', kind, {})).toEqual(['question']);
    expect(settleIntents(['skills'], 'our team', kind, {})).toEqual(['skills']);
    expect(settleIntents(['question', 'peer_cases'], 'x', kind, {})).toEqual(['question', 'peer_cases']);
  });
});

describe('rememberTurn', () => {
  const answer = (overrides: Partial<Answer>): Answer => ({
    ...emptyAnswer('answered', 'peer_cases', 'text'),
    ...overrides,
  });

  it('keeps the topic, filters and the peers in the order listed', async () => {
    const store = new MemoryConversationStore();
    const peers = ['ee', 'fi'].map((id) => ({ id, title: id, reason: '' }));
    await rememberTurn(store, 'c1', 'who has done it?', answer({ peerCases: peers }), undefined, {
      topic: 'proactive benefits',
      hardFilters: { regions: ['europe'] },
    });
    const state = await store.get('c1');
    expect(state).toMatchObject({
      topic: 'proactive benefits',
      intent: 'peer_cases',
      filters: { regions: ['europe'] },
      listed: ['ee', 'fi'],
    });
    expect(state!.history.map((turn) => turn.role)).toEqual(['user', 'assistant']);
  });

  it('keeps the earlier list after a detail about one of its entries', async () => {
    const store = new MemoryConversationStore();
    await rememberTurn(store, 'c2', 'the second one', answer({ intent: 'entry_detail' }), previous, {
      topic: '',
      hardFilters: {},
    });
    expect(await store.get('c2')).toMatchObject({ topic: 'participatory budgeting', listed: ['a', 'b'] });
  });
});

describe('EntryNames', () => {
  const names = new EntryNames([
    {
      id: 'about-opsi',
      type: 'topic',
      title: 'About OPSI, the OECD Observatory of Public Sector Innovation',
      summary: '',
    },
    {
      id: 'opsi-toolkit-navigator',
      type: 'topic',
      title: 'OPSI Toolkit Navigator',
      summary: 'The Toolkit Navigator is OPSI\'s "toolkit of toolkits", a free online guide.',
    },
    { id: 'skill-data-literacy', type: 'skill', title: 'Data literacy', summary: '' },
    { id: 'skill-curiosity', type: 'skill', title: 'Curiosity', summary: '' },
    { id: 'ac4d-presenting', type: 'toolkit', title: 'Presenting', summary: '' },
    { id: 'estonia-benefits', type: 'case', title: 'Proactive family benefits', summary: '' },
  ]);
  const ids = (text: string) => names.namedIn(text).map((entry) => entry.id);

  it('finds entries by title, by the parts of an "About X, Y" title and by a quoted name', () => {
    expect(ids("what does 'data literacy' mean for a policy officer?")).toEqual(['skill-data-literacy']);
    expect(ids('What is OPSI exactly?')).toEqual(['about-opsi']);
    expect(ids("Cos'è l'OPSI?")).toEqual(['about-opsi']);
    expect(ids('is there a toolkit of toolkits?')).toEqual(['opsi-toolkit-navigator']);
    expect(ids('curiosity as a core skill')).toEqual(['skill-curiosity']);
  });

  it('ignores acronyms in lower case, one-word titles that are not skills, and case titles', () => {
    expect(ids('see oecd-opsi.org/opsi for more')).toEqual([]);
    expect(ids('presenting to the board')).toEqual([]);
    expect(ids('proactive family benefits in Estonia')).toEqual([]);
  });

  it('marks a name given only by acronym', () => {
    expect(names.namedIn('What is OPSI?')).toEqual([{ id: 'about-opsi', type: 'topic', acronym: true }]);
  });
});

describe('spelling with common English left alone', () => {
  const dictionary = new SpellingDictionary(
    ['participatory budgeting foresight thinks cities'],
    [],
    commonEnglishWords(),
  );
  it('corrects misspelt domain words but not ordinary words or contractions the knowledge base lacks', () => {
    expect(correctSpelling('partcipatory budgetting and foresite', dictionary).text).toBe(
      'participatory budgeting and foresight',
    );
    expect(correctSpelling("Thanks in advance, there's a weekend", dictionary).corrections).toEqual([]);
  });
});
