import type { Config } from '../config.js';
import type { Embedder } from '../indexing/embedders/embedder.js';
import { isPersonalMatter, loadChallengeKinds } from '../knowledge/challenge-kinds.js';
import type { EntryRecord } from '../indexing/chunking.js';
import type { EntryType, KnowledgeEntry } from '../knowledge/schemas.js';
import { loadGlossary } from '../knowledge/translations.js';
import { openRetriever } from '../retrieval/open-retriever.js';
import { emptyAnswer, type Answer, type Question } from './answer.js';
import { CitationList } from './citations.js';
import { MemoryConversationStore, type ConversationStore } from './conversation-store.js';
import type { GroundedAnswerModel } from './llm/grounded-answer-model.js';
import type { MessageReader } from './llm/message-reader.js';
import { answerModelFor, messageReaderFor } from './llm/models-from-config.js';
import { maxQuestionCharacters } from './safety.js';
import { streamAnswer, type AnswerStreamEvent } from './stream-answer.js';
import { composeAnswer, noMatchAnswer } from './stages/compose.js';
import { answerLanguage, withChannelDefaults } from './stages/channel-defaults.js';
import { languageIfSure } from './stages/detect-language.js';
import { draftWithModel, offlineLanguageNotes } from './stages/draft.js';
import { streamingDraft, type DraftStage } from './stages/draft-stream.js';
import { finaliseAnswer } from './stages/finalise.js';
import { normaliseMessage } from './stages/normalise.js';
import { planAnswer, type PlanInput } from './stages/plan.js';
import { readWithModel } from './stages/read-with-model.js';
import { rememberTurn } from './stages/remember.js';
import { resolveFollowUp } from './stages/resolve-follow-up.js';
import { retrieveEvidence } from './stages/retrieve.js';
import { settleIntents } from './stages/settle-intents.js';
import { understandingResources, understandMessage } from './stages/understand.js';

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
 * optional models. Each answer runs the stages in order: normalise → detect language →
 * understand (→ resolve a follow-up) → retrieve → settle the asks → plan (one handler per ask) →
 * compose → draft (optional) → finalise → remember.
 */
export async function createNavigator(config: Config, options: NavigatorOptions = {}): Promise<Navigator> {
  const log = options.log ?? (() => {});
  const opened = await openRetriever(config, { log: options.log, embedder: options.embedder });
  const { entries: loaded, vocabulary } = opened.knowledge;
  const entries = new Map<string, KnowledgeEntry>(loaded.map((entry) => [entry.id, entry]));
  const context = { retriever: opened.retriever, entries, vocabulary };
  const kinds = await loadChallengeKinds(config.knowledgeDir, vocabulary, new Set(entries.keys()));
  const resources = understandingResources(
    loaded,
    vocabulary,
    await loadGlossary(config.knowledgeDir),
    options.currentYear,
  );
  const conversations = options.conversations ?? new MemoryConversationStore();
  const model = answerModelFor(config, options.answerModel);
  const reader = messageReaderFor(config, options.messageReader);

  async function ask(question: Question, draft: DraftStage = draftWithModel): Promise<Answer> {
    const message = normaliseMessage(question.text);
    if (!message.text) return finaliseAnswer(await helpAnswer());
    if (message.tooLong) return tooLongAnswer(message.length);
    const sure = languageIfSure(message.text);
    const language = sure ?? 'en';
    const answerIn = answerLanguage(sure, question.defaults);
    const offline = understandMessage(message.text, language, resources);
    const understanding = reader
      ? await readWithModel(reader, message.text, offline, vocabulary, log)
      : offline;
    if (isPersonalMatter(message.text, kinds) || isPersonalMatter(understanding.english, kinds))
      return finaliseAnswer({
        ...noMatchAnswer(understanding.intents[0] ?? 'question', ''),
        language: answerIn,
      });

    const state = question.conversationId ? await conversations.get(question.conversationId) : undefined;
    const resolved = withChannelDefaults(
      resolveFollowUp(understanding, state),
      question.defaults,
      vocabulary,
    );
    const { topic, hardFilters, hardNotes } = resolved;
    const retrieval = await retrieveEvidence(
      opened.retriever,
      topic,
      understanding.english,
      resolved.intents,
      hardFilters,
      kinds,
    );
    const intents = settleIntents(resolved.intents, topic, retrieval, hardFilters);
    const input: PlanInput = {
      context,
      records: opened.index.entryById,
      kinds,
      ...resolved,
      english: understanding.english,
      ...retrieval,
      projects: understanding.projects,
      named: understanding.named,
      asks: understanding.asks,
      ordinal: understanding.ordinal,
      state,
      combined: intents.length > 1,
      intents,
    };
    const citations = new CitationList();
    const sections = await planAnswer(intents, input, citations);
    let answer: Answer = {
      ...composeAnswer(sections, citations, {
        applied: hardNotes,
        where: hardNotes.length > 0 ? ` (${hardNotes.join(', ')})` : '',
        refused: (hardFilters.excludedMethods ?? []).map(
          (slug) => vocabulary.methods.get(slug)?.label ?? slug,
        ),
      }),
      language: answerIn,
    };
    // A portfolio map is a table the model would only paraphrase; the rest reads better drafted.
    const draftable =
      answer.status === 'answered' &&
      answer.citations.length > 0 &&
      !['portfolio', 'help', 'entry_detail'].includes(answer.intent);
    if (model && draftable) answer = await draft(model, answer, message.text, answerIn, entries, state, log);
    if (answerIn !== 'en' && (!model || answer.status !== 'answered'))
      answer = { ...answer, text: `${offlineLanguageNotes[answerIn]}\n\n${answer.text}` };
    answer = finaliseAnswer(answer);
    if (question.conversationId)
      await rememberTurn(conversations, question.conversationId, message.text, answer, state, resolved);
    return answer;
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

/** An empty message: what the Navigator can do, with example questions. */
async function helpAnswer(): Promise<Answer> {
  const [help] = await planAnswer(
    ['help'],
    { intents: ['help'] } as unknown as PlanInput,
    new CitationList(),
  );
  return { ...emptyAnswer('clarify', 'help', help!.lines.join('\n')), followUps: help!.followUps };
}

function tooLongAnswer(length: number): Answer {
  return emptyAnswer(
    'refused',
    'question',
    `Your message is ${length.toLocaleString('en')} characters long; ` +
      `I read at most ${maxQuestionCharacters.toLocaleString('en')}. ` +
      'Please shorten it, or send a long project list in parts.',
  );
}
