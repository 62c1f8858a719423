import type { Config } from '../config.js';
import type { EntryRecord } from '../indexing/chunking.js';
import type { Embedder } from '../indexing/embedders/embedder.js';
import type { KnowledgeEntry } from '../knowledge/schemas.js';
import type { SearchFilters } from '../retrieval/filters.js';
import { openRetriever } from '../retrieval/open-retriever.js';
import { emptyAnswer, type Answer, type Intent, type Question } from './answer.js';
import { profileChallenge } from './challenge-profile.js';
import { CitationList } from './citations.js';
import {
  describeProfile,
  renderDirectAnswer,
  renderMethods,
  renderPeerCases,
  renderPortfolio,
  renderSkills,
} from './compose-answer.js';
import {
  MemoryConversationStore,
  type ConversationState,
  type ConversationStore,
} from './conversation-store.js';
import {
  OpenAIGroundedAnswerModel,
  type GroundedAnswerModel,
  type GroundingPassage,
} from './llm/grounded-answer-model.js';
import { mapPortfolio } from './map-portfolio.js';
import {
  adviseSkills,
  matchPeerCases,
  recommendMethods,
  toPeerCase,
  toRecommendedMethod,
  type RecommendationContext,
} from './recommend.js';
import { isRelevant } from './relevance.js';
import { keepAllowedLinks, keepValidMarkers, maxQuestionCharacters, removeMassMentions } from './safety.js';
import { slugWords } from '../text/sentences.js';
import { understandQuestion } from './understand-question.js';

export interface NavigatorOptions {
  log?: (message: string) => void;
  embedder?: Embedder;
  /** A language model for the answer text; by default one is made when OPENAI_API_KEY or OPENAI_BASE_URL is set. Pass null for offline only. */
  answerModel?: GroundedAnswerModel | null;
  conversations?: ConversationStore;
}

/** The assistant every channel calls. */
export interface Navigator {
  ask(question: Question): Promise<Answer>;
  /** Whether answers are drafted by a language model (otherwise composed offline). */
  readonly usesLanguageModel: boolean;
}

const examples = [
  'Who has made benefits proactive?',
  'Which method fits a cross-ministry climate goal?',
  'What skills does my team lack if we never test anything before rollout?',
  'Any participatory budgeting examples from local government in Latin America?',
];

/** Builds the assistant: loads the knowledge base and index (building it if needed) and the optional model. */
export async function createNavigator(config: Config, options: NavigatorOptions = {}): Promise<Navigator> {
  const opened = await openRetriever(config, { log: options.log, embedder: options.embedder });
  const entries = new Map<string, KnowledgeEntry>(opened.knowledge.entries.map((entry) => [entry.id, entry]));
  const context: RecommendationContext = {
    retriever: opened.retriever,
    entries,
    vocabulary: opened.knowledge.vocabulary,
  };
  const conversations = options.conversations ?? new MemoryConversationStore();
  const model =
    options.answerModel !== undefined
      ? options.answerModel
      : config.openai.apiKey || config.openai.baseURL
        ? new OpenAIGroundedAnswerModel({
            apiKey: config.openai.apiKey,
            baseURL: config.openai.baseURL,
            model: config.openai.model,
            timeoutMs: config.openai.timeoutMs,
          })
        : null;
  const log = options.log ?? (() => {});

  async function ask(question: Question): Promise<Answer> {
    const text = question.text.trim();
    if (!text) return { ...emptyAnswer('clarify', 'help', helpText()), followUps: examples };
    if (text.length > maxQuestionCharacters) {
      return emptyAnswer(
        'refused',
        'question',
        `Your message is ${text.length.toLocaleString('en')} characters long; I read at most ${maxQuestionCharacters.toLocaleString('en')}. Please shorten it, or send a long project list in parts.`,
      );
    }
    const conversationId = question.conversationId;
    const state = conversationId ? await conversations.get(conversationId) : undefined;
    const understanding = understandQuestion(text, context.vocabulary);
    let answer: Answer;
    let topic = text;
    let intent: Intent = understanding.intent;
    let filters: SearchFilters = understanding.filters;

    if (intent === 'help') answer = { ...emptyAnswer('answered', 'help', helpText()), followUps: examples };
    else if (intent === 'entry_detail') answer = describeListedEntry(understanding.ordinal ?? 1, state);
    else {
      if (understanding.refinesPrevious && state) {
        topic = state.topic;
        intent = state.intent === 'question' ? 'peer_cases' : state.intent;
        filters = { ...state.filters, ...understanding.filters };
      }
      // A facet named in a concept question is the topic, not a filter.
      if (intent === 'question' || intent === 'skills') filters = { ...filters, facets: undefined };
      answer = await answerTopic(intent, topic, filters, understanding.filterNotes, understanding.projects);
      // A portfolio map is a table the model would only paraphrase; the rest reads better drafted.
      if (
        model &&
        answer.status === 'answered' &&
        answer.citations.length > 0 &&
        answer.intent !== 'portfolio'
      )
        answer = await draftWithModel(answer, text, state);
    }
    answer = finalise(answer);
    if (conversationId) {
      const listed =
        answer.peerCases.length > 0
          ? answer.peerCases.map((peer) => peer.id)
          : answer.citations.map((citation) => citation.id);
      const next: ConversationState = {
        topic: answer.intent === 'entry_detail' && state ? state.topic : topic,
        intent: answer.intent === 'entry_detail' && state ? state.intent : intent,
        filters: answer.intent === 'entry_detail' && state ? state.filters : filters,
        listed: answer.intent === 'entry_detail' && state ? state.listed : listed,
        history: [
          ...(state?.history ?? []),
          { role: 'user', text },
          { role: 'assistant', text: answer.text.slice(0, 1_500) },
        ],
        updatedAt: Date.now(),
      };
      await conversations.set(conversationId, next);
    }
    return answer;
  }

  async function answerTopic(
    intent: Intent,
    topic: string,
    filters: SearchFilters,
    filterNotes: string[],
    projects: string[],
  ): Promise<Answer> {
    const citations = new CitationList();
    const records = opened.index.entryById;
    const where = filterNotes.length > 0 ? ` (${filterNotes.join(', ')})` : '';

    if (intent === 'portfolio') {
      const map = await mapPortfolio(context, projects);
      const lines = [
        `Here is how your ${map.placements.length} projects sit on OPSI's four innovation facets:`,
        '',
        ...renderPortfolio(map, citations, records),
      ];
      const facetEntries = ['innovation-portfolio', ...map.missing]
        .map((id) => records.get(id))
        .filter((entry): entry is EntryRecord => entry !== undefined);
      if (facetEntries.length > 0)
        lines.push(
          '',
          `Read more: ${facetEntries.map((entry) => `${entry.title} [${citations.cite(entry)}]`).join(', ')}.`,
        );
      return {
        ...emptyAnswer('answered', 'portfolio', lines.join('\n')),
        citations: citations.citations,
        portfolio: map.placements,
        recommendedMethods: map.suggestions,
        followUps:
          map.missing.length > 0
            ? [
                `How do we start ${slugWords(map.missing[0]!)} innovation?`,
                'What is an innovation portfolio?',
              ]
            : ['What is an innovation portfolio?'],
      };
    }

    if (intent === 'skills') {
      const skills = await adviseSkills(context, topic);
      const lines = [
        'These skills matter most for the situation you describe:',
        '',
        ...renderSkills(skills, citations, records),
      ];
      lines.push(
        '',
        "They come from the OECD's six core skills for public sector innovation; not everyone needs all of them every day, but a team should cover them between its members.",
      );
      return {
        ...emptyAnswer('answered', 'skills', lines.join('\n')),
        citations: citations.citations,
        skills,
        followUps: ['Which toolkits help build these skills?', 'What are the six core skills?'],
      };
    }

    const evidence = await context.retriever.search(topic, {
      k: 8,
      filters: intent === 'question' ? filters : { ...filters, types: ['case', 'toolkit'] },
    });
    const profile = profileChallenge(topic, evidence);

    if (intent === 'peer_cases' || intent === 'recommend_methods') {
      const peers = await matchPeerCases(context, topic, filters, profile, intent === 'peer_cases' ? 5 : 3);
      // Toolkits for the methods the peers used, as well as for the words of the challenge.
      const peerMethods = [
        ...new Set(peers.slice(0, 3).flatMap((peer) => records.get(peer.id)?.methods ?? [])),
      ].map((slug) => context.vocabulary.methods.get(slug)?.label ?? slug);
      const methods = await recommendMethods(
        context,
        intent === 'peer_cases' && peerMethods.length > 0 ? `${topic} ${peerMethods.join(', ')}` : topic,
        profile,
        intent === 'peer_cases' ? 3 : 4,
      );
      if (peers.length === 0 && methods.length === 0) return noMatch(intent, where);
      const lines: string[] = [];
      if (intent === 'recommend_methods') {
        lines.push(
          describeProfile(profile),
          '',
          '**Methods and toolkits that fit:**',
          ...renderMethods(methods, citations, records),
        );
        if (peers.length > 0)
          lines.push(
            '',
            `**Peers who faced something similar${where}:**`,
            ...renderPeerCases(peers, citations, records),
          );
      } else {
        lines.push(
          peers.length > 0
            ? `**Peer cases${where}** — the organisation named is the team to approach:`
            : `I found no case${where} close enough to your challenge.`,
        );
        lines.push(...renderPeerCases(peers, citations, records));
        if (methods.length > 0)
          lines.push(
            '',
            `**Methods they and others used:** ${profile.facets.length > 0 ? describeProfile(profile) : ''}`.trimEnd(),
            ...renderMethods(methods, citations, records),
          );
      }
      const countries = new Set(peers.map((peer) => peer.country));
      const followUps = [
        peers.length > 0 ? 'Tell me more about the first one' : '',
        filters.levels ? '' : 'Only local government',
        countries.size > 0 && !filters.regions ? 'Any examples in Latin America?' : '',
        intent === 'peer_cases'
          ? 'Which methods fit this challenge?'
          : 'What skills does my team need for this?',
      ].filter(Boolean);
      return {
        ...emptyAnswer(
          'answered',
          intent,
          lines
            .filter((line, index, all) => line !== '' || all[index - 1] !== '')
            .join('\n')
            .trim(),
        ),
        citations: citations.citations,
        peerCases: peers,
        recommendedMethods: methods,
        followUps,
      };
    }

    const relevant = evidence.filter(isRelevant).slice(0, 4);
    if (relevant.length === 0) return noMatch(intent, where);
    const lines = renderDirectAnswer(topic, relevant, citations, (id) => entries.get(id)?.sections ?? []);
    const peerCases = relevant
      .filter((result) => result.entry.type === 'case')
      .map((result) => toPeerCase(result.entry, 'Mentioned in the answer.'));
    const recommendedMethods = relevant
      .filter((result) => result.entry.type === 'toolkit')
      .map((result) => toRecommendedMethod(result.entry, 'Mentioned in the answer.'));
    return {
      ...emptyAnswer('answered', 'question', lines.join('\n')),
      citations: citations.citations,
      peerCases,
      recommendedMethods,
      followUps: [
        'Tell me more about the first one',
        'Who has done this in practice?',
        'Which methods fit this?',
      ],
    };
  }

  function describeListedEntry(ordinal: number, state: ConversationState | undefined): Answer {
    const id = state ? (ordinal === -1 ? state.listed.at(-1) : state.listed[ordinal - 1]) : undefined;
    const entry = id ? entries.get(id) : undefined;
    const record = id ? opened.index.entryById.get(id) : undefined;
    if (!entry || !record) {
      return {
        ...emptyAnswer(
          'clarify',
          'entry_detail',
          state
            ? `My last answer listed ${state.listed.length} item(s); which one do you mean?`
            : 'Which one do you mean? Ask me a question first, then "tell me more about the second one".',
        ),
        followUps: examples.slice(0, 2),
      };
    }
    const citations = new CitationList();
    const marker = citations.cite(record);
    const who =
      entry.type === 'case'
        ? `\n\n**Who to approach:** ${entry.organisation}${entry.team ? ` (${entry.team})` : ''}, ${entry.country}.`
        : entry.type === 'toolkit'
          ? `\n\n**Publisher:** ${entry.publisher}${entry.year ? ` (${entry.year})` : ''}. Licence: ${entry.licence}; cost: ${entry.cost}.`
          : '';
    const sections = entry.sections
      .filter((section) => section.heading)
      .slice(0, 6)
      .map((section) => `**${section.heading}.** ${section.text.replace(/\s+/g, ' ')}`);
    const text =
      [
        `**${entry.title}** [${marker}]`,
        '',
        entry.summary.replace(/\s+/g, ' ').trim(),
        '',
        ...sections.flatMap((section) => [section, '']),
      ]
        .join('\n')
        .trim() + who;
    return {
      ...emptyAnswer('answered', 'entry_detail', text),
      citations: citations.citations,
      followUps: ['Who else has done something similar?', 'Which methods fit this challenge?'],
    };
  }

  async function draftWithModel(
    answer: Answer,
    question: string,
    state: ConversationState | undefined,
  ): Promise<Answer> {
    const passages: GroundingPassage[] = answer.citations.map((citation, index) => {
      const entry = entries.get(citation.id);
      const body = entry
        ? entry.sections.map((section) => `${section.heading}: ${section.text}`).join('\n')
        : '';
      return {
        marker: index + 1,
        id: citation.id,
        type: citation.type,
        title: citation.title,
        text: `${entry?.summary ?? ''}\n${body}`.slice(0, 1_800),
      };
    });
    try {
      const draft = await model!.draftAnswer({
        question,
        intent: answer.intent,
        passages,
        history: state?.history,
      });
      return { ...answer, text: draft.text };
    } catch (error) {
      log(`Language model unavailable, answering offline: ${(error as Error).message}`);
      return { ...answer, status: 'degraded' };
    }
  }

  function finalise(answer: Answer): Answer {
    const allowed = new Set(answer.citations.flatMap((citation) => (citation.url ? [citation.url] : [])));
    const text = keepAllowedLinks(
      keepValidMarkers(removeMassMentions(answer.text), answer.citations.length),
      allowed,
    ).replace(/\n{3,}/g, '\n\n');
    // Reasons quote entry summaries, so they get the same treatment as the text.
    const clean = <T extends { reason: string }>(item: T): T => ({
      ...item,
      reason: removeMassMentions(item.reason),
    });
    return {
      ...answer,
      text,
      recommendedMethods: answer.recommendedMethods.map(clean),
      peerCases: answer.peerCases.map(clean),
      skills: answer.skills.map(clean),
      portfolio: answer.portfolio.map(clean),
      followUps: answer.followUps.map(removeMassMentions),
    };
  }

  return { ask, usesLanguageModel: model !== null };
}

function helpText(): string {
  return [
    'I answer questions about public sector innovation from a curated knowledge base of real cases, free toolkits, the core skills and the four innovation facets, and I always show my sources. Try:',
    ...examples.map((example) => `- ${example}`),
    '- Paste a list of your projects (one per line) and I will map them on the facets.',
  ].join('\n');
}

function noMatch(intent: Intent, where: string): Answer {
  const text = where
    ? `I found nothing in the knowledge base that matches${where}. Try without the filter, or describe the challenge differently.`
    : 'I found nothing in the knowledge base that answers this. Try describing the challenge in a sentence (who it is for and what should change), or name a method, a country or a facet — for example "participatory budgeting in cities" or "foresight for a ministry".';
  return { ...emptyAnswer('no_match', intent, text), followUps: examples.slice(0, 2) };
}
