import type { Config } from '../config.js';
import type { Embedder } from '../indexing/embedders/embedder.js';
import { isPersonalMatter, loadChallengeKinds } from '../knowledge/challenge-kinds.js';
import type { EntryRecord } from '../indexing/chunking.js';
import type { EntryType, KnowledgeEntry } from '../knowledge/schemas.js';
import { loadGlossary } from '../knowledge/translations.js';
import { commonEnglishWords } from '../text/common-english.js';
import type { Vocabulary } from '../knowledge/vocabulary.js';
import { openRetriever } from '../retrieval/open-retriever.js';
import { emptyAnswer, type Answer, type Question } from './answer.js';
import { CitationList } from './citations.js';
import {
  MemoryConversationStore,
  type ConversationState,
  type ConversationStore,
} from './conversation-store.js';
import type { GroundedAnswerModel } from './llm/grounded-answer-model.js';
import { OpenAIStreamingAnswerModel } from './llm/streaming-answer-model.js';
import { OpenAIMessageReader, type MessageReader } from './llm/message-reader.js';
import { maxQuestionCharacters } from './safety.js';
import { composeAnswer, noMatchAnswer } from './stages/compose.js';
import { detectLanguage } from './stages/detect-language.js';
import { draftWithModel, offlineLanguageNotes } from './stages/draft.js';
import { streamingDraft, type DraftStage } from './stages/draft-stream.js';
import { streamAnswer, type AnswerStreamEvent } from './stream-answer.js';
import { finaliseAnswer } from './stages/finalise.js';
import { normaliseMessage } from './stages/normalise.js';
import { planAnswer, type PlanInput } from './stages/plan.js';
import { retrieveEvidence } from './stages/retrieve.js';
import { understandMessage, type Understanding } from './stages/understand.js';
import { SpellingDictionary } from './understanding/correct-spelling.js';
import { EntryNames } from './understanding/entry-names.js';
import { filtersOf } from './understanding/read-filters.js';
import { readWithModel } from './stages/read-with-model.js';

export interface NavigatorOptions {
  log?: (message: string) => void;
  embedder?: Embedder;
  /**
   * A language model for the answer text; by default one is made when OPENAI_API_KEY or
   * OPENAI_BASE_URL is set. Pass null for offline only.
   */
  answerModel?: GroundedAnswerModel | null;
  /** A language model that reads messages (intents, topic, filters); default as for answerModel. */
  messageReader?: MessageReader | null;
  conversations?: ConversationStore;
  /** The year against which "since 2018" and "by 2045" are read (default: this year). */
  currentYear?: number;
}

/** The assistant every channel calls. */
export interface Navigator {
  ask(question: Question): Promise<Answer>;
  /** The same answer, streamed: text pieces as the model writes them, then the final answer. */
  askStream?(question: Question): AsyncIterable<AnswerStreamEvent>;
  /** The entries that best match a search (a message extension, a picker), best first. */
  search?(query: string, options?: { types?: EntryType[]; limit?: number }): Promise<EntryRecord[]>;
  /** Whether answers are drafted by a language model (otherwise composed offline). */
  readonly usesLanguageModel: boolean;
}

/**
 * Builds the assistant: loads the knowledge base and index (building it if needed) and the
 * optional model. Each answer runs the stages in order: normalise → detect language →
 * understand → retrieve → plan (one handler per ask) → compose → draft (optional) → finalise.
 */
export async function createNavigator(config: Config, options: NavigatorOptions = {}): Promise<Navigator> {
  const log = options.log ?? (() => {});
  const opened = await openRetriever(config, { log: options.log, embedder: options.embedder });
  const knowledge = opened.knowledge;
  const entries = new Map<string, KnowledgeEntry>(knowledge.entries.map((entry) => [entry.id, entry]));
  const context = { retriever: opened.retriever, entries, vocabulary: knowledge.vocabulary };
  const glossary = await loadGlossary(config.knowledgeDir);
  const kinds = await loadChallengeKinds(config.knowledgeDir, knowledge.vocabulary, new Set(entries.keys()));
  const spelling = new SpellingDictionary(
    spellingTexts(knowledge.entries, knowledge.vocabulary),
    keyTexts(knowledge.vocabulary),
    commonEnglishWords(),
  );
  const resources = {
    vocabulary: knowledge.vocabulary,
    glossary,
    spelling,
    entryNames: new EntryNames(knowledge.entries),
    currentYear: options.currentYear,
  };
  const conversations = options.conversations ?? new MemoryConversationStore();
  const modelConfigured = Boolean(config.openai.apiKey || config.openai.baseURL);
  const model =
    options.answerModel !== undefined
      ? options.answerModel
      : modelConfigured
        ? new OpenAIStreamingAnswerModel({
            apiKey: config.openai.apiKey,
            baseURL: config.openai.baseURL,
            model: config.openai.model,
            timeoutMs: config.openai.timeoutMs,
          })
        : null;
  const reader =
    options.messageReader !== undefined
      ? options.messageReader
      : modelConfigured
        ? new OpenAIMessageReader({
            apiKey: config.openai.apiKey,
            baseURL: config.openai.baseURL,
            model: config.openai.model,
            timeoutMs: Math.min(config.openai.timeoutMs, 4_000),
          })
        : null;

  async function ask(question: Question, draft: DraftStage = draftWithModel): Promise<Answer> {
    const message = normaliseMessage(question.text);
    if (!message.text) return finaliseAnswer(await helpAnswer());
    if (message.tooLong) {
      return emptyAnswer(
        'refused',
        'question',
        `Your message is ${message.length.toLocaleString('en')} characters long; ` +
          `I read at most ${maxQuestionCharacters.toLocaleString('en')}. ` +
          'Please shorten it, or send a long project list in parts.',
      );
    }
    const language = detectLanguage(message.text);
    const offline = understandMessage(message.text, language, resources);
    const understanding = reader
      ? await readWithModel(reader, message.text, offline, resources.vocabulary, log)
      : offline;
    const state = question.conversationId ? await conversations.get(question.conversationId) : undefined;

    if (isPersonalMatter(message.text, kinds) || isPersonalMatter(understanding.english, kinds))
      return finaliseAnswer({ ...noMatchAnswer(understanding.intents[0] ?? 'question', ''), language });
    const { topic, hardFilters, softFilters, hardNotes, ...followUp } = resolveFollowUp(understanding, state);
    if (process.env.NAV_DEBUG)
      console.error(
        JSON.stringify({
          topic,
          intents: understanding.intents,
          english: understanding.english,
          corrections: understanding.corrections,
          named: understanding.named,
          asks: understanding.asks,
        }),
      );
    let intents = followUp.intents;
    const retrieval = await retrieveEvidence(
      opened.retriever,
      topic,
      understanding.english,
      intents,
      hardFilters,
      kinds,
    );
    // A described challenge of a known kind, asked as a bare question ("how does one get out of
    // this?"), wants methods, not a definition.
    if (
      intents.length === 1 &&
      intents[0] === 'question' &&
      retrieval.challengeKinds.length > 0 &&
      !asksDefinition(topic)
    )
      intents = ['recommend_methods'];
    // "Basic income pilots in cities only?" asks for cases there, not for a definition.
    else if (
      intents.length === 1 &&
      intents[0] === 'question' &&
      !asksDefinition(topic) &&
      (hardFilters.countries || hardFilters.regions || hardFilters.levels)
    )
      intents = ['peer_cases'];
    const citations = new CitationList();
    const input: PlanInput = {
      context,
      records: opened.index.entryById,
      kinds,
      topic,
      english: understanding.english,
      hardFilters,
      softFilters,
      hardNotes,
      ...retrieval,
      projects: understanding.projects,
      named: understanding.named,
      asks: understanding.asks,
      ordinal: understanding.ordinal,
      state,
      combined: intents.length > 1,
      intents,
    };
    const sections = await planAnswer(intents, input, citations);
    let answer = composeAnswer(sections, citations, {
      applied: hardNotes,
      where: hardNotes.length > 0 ? ` (${hardNotes.join(', ')})` : '',
    });
    answer = { ...answer, language };
    // A portfolio map is a table the model would only paraphrase; the rest reads better drafted.
    const draftable =
      answer.status === 'answered' && answer.citations.length > 0 && answer.intent !== 'portfolio';
    if (model && draftable && answer.intent !== 'help' && answer.intent !== 'entry_detail')
      answer = await draft(model, answer, message.text, language, entries, state, log);
    if (language !== 'en' && (!model || answer.status !== 'answered'))
      answer = { ...answer, text: `${offlineLanguageNotes[language]}\n\n${answer.text}` };
    answer = finaliseAnswer(answer);
    if (question.conversationId)
      await remember(question.conversationId, message.text, answer, state, topic, hardFilters);
    return answer;
  }

  async function helpAnswer(): Promise<Answer> {
    const [help] = await planAnswer(
      ['help'],
      { intents: ['help'] } as unknown as PlanInput,
      new CitationList(),
    );
    return { ...emptyAnswer('clarify', 'help', help!.lines.join('\n')), followUps: help!.followUps };
  }

  /** "Only local government" after a question narrows that question; the rest stands alone. */
  function resolveFollowUp(understanding: Understanding, state: ConversationState | undefined) {
    let topic = understanding.topic;
    let intents = understanding.intents;
    let hardFilters = filtersOf(understanding.filters, 'hard');
    const softFilters = filtersOf(understanding.filters, 'soft');
    let hardNotes = understanding.filters
      .filter((filter) => filter.strength === 'hard')
      .map((filter) => filter.note);
    if (understanding.refinesPrevious && state) {
      topic = state.topic;
      intents = [state.intent === 'question' ? 'peer_cases' : state.intent];
      hardFilters = { ...state.filters, ...hardFilters };
      hardNotes = [...(state.filterNotes ?? []), ...hardNotes];
    }
    // A facet named in a concept or skills question is the topic, not a filter.
    if (intents.every((intent) => intent === 'question' || intent === 'skills')) {
      hardFilters = { ...hardFilters, facets: undefined };
      hardNotes = hardNotes.filter((note) => !note.endsWith(' facet'));
    }
    return { topic, intents, hardFilters, softFilters, hardNotes };
  }

  async function remember(
    conversationId: string,
    text: string,
    answer: Answer,
    state: ConversationState | undefined,
    topic: string,
    filters: ConversationState['filters'],
  ): Promise<void> {
    const detail = answer.intent === 'entry_detail' && state;
    const listed =
      answer.peerCases.length > 0
        ? answer.peerCases.map((peer) => peer.id)
        : answer.citations.map((citation) => citation.id);
    await conversations.set(conversationId, {
      topic: detail ? state.topic : topic,
      intent: detail ? state.intent : answer.intent,
      filters: detail ? state.filters : filters,
      filterNotes: detail ? state.filterNotes : answer.filtersApplied,
      listed: detail ? state.listed : listed,
      history: [
        ...(state?.history ?? []),
        { role: 'user' as const, text },
        { role: 'assistant' as const, text: answer.text.slice(0, 1_500) },
      ].slice(-12),
      updatedAt: Date.now(),
    });
  }

  return {
    ask: (question) => ask(question),
    askStream: (question) => streamAnswer((show) => ask(question, streamingDraft(show))),
    usesLanguageModel: model !== null,
    search: async (query, { types, limit = 10 } = {}) =>
      (await opened.retriever.search(query, { k: limit, filters: types ? { types } : undefined })).map(
        (result) => result.entry,
      ),
  };
}

/** The words a misspelling may be corrected towards: the entries' own words and the vocabulary's. */
function spellingTexts(entries: KnowledgeEntry[], vocabulary: Vocabulary): string[] {
  const texts: string[] = [];
  for (const entry of entries)
    texts.push(
      entry.title,
      entry.summary,
      ...entry.sections.map((section) => `${section.heading} ${section.text}`),
    );
  return [...texts, ...keyTexts(vocabulary)];
}

/** Method and sector names and synonyms: what people most often mean when they misspell. */
function keyTexts(vocabulary: Vocabulary): string[] {
  return [...vocabulary.methods.values(), ...vocabulary.sectors.values()].flatMap((term) => [
    term.label,
    ...term.synonyms,
  ]);
}

/** "What is…", "explain…": a request for a definition. */
function asksDefinition(text: string): boolean {
  return /\b(what(?:'s| is| are| does)|explain|define|definition|meaning|mean)\b/i.test(text);
}
