import type { KnowledgeEntry } from '../../knowledge/schemas.js';
import type { Answer } from '../answer.js';
import type { ConversationState } from '../conversation-store.js';
import type { GroundedAnswerModel, GroundingPassage } from '../llm/grounded-answer-model.js';
import { languageNames, type SupportedLanguage } from './detect-language.js';

/**
 * Lets the language model write the answer text from the cited entries only, in the user's
 * language. Any failure keeps the offline text and marks the answer degraded: a wrapper around
 * the offline answer, never a different path.
 */
export async function draftWithModel(
  model: GroundedAnswerModel,
  answer: Answer,
  question: string,
  language: SupportedLanguage,
  entries: Map<string, KnowledgeEntry>,
  state: ConversationState | undefined,
  log: (message: string) => void,
): Promise<Answer> {
  const passages = groundingPassages(answer, entries);
  try {
    const draft = await model.draftAnswer({
      question,
      intent: answer.intent,
      passages,
      history: state?.history,
      language: languageNames[language],
    });
    return { ...answer, text: draft.text };
  } catch (error) {
    log(`Language model unavailable, answering offline: ${(error as Error).message}`);
    return { ...answer, status: 'degraded' };
  }
}

/** The cited entries as numbered passages, `[n]` for citations[n-1]. */
export function groundingPassages(answer: Answer, entries: Map<string, KnowledgeEntry>): GroundingPassage[] {
  return answer.citations.map((citation, index) => {
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
}

/** One line, in the user's language, saying the offline answer is in English and what would change that. */
export const offlineLanguageNotes: Record<Exclude<SupportedLanguage, 'en'>, string> = {
  fr:
    '_Sans modèle de langue, je réponds en anglais ; ' +
    'avec un modèle de langue configuré, je répondrais en français._',
  es:
    '_Sin un modelo de lenguaje respondo en inglés; ' +
    'con un modelo de lenguaje configurado, respondería en español._',
  de:
    '_Ohne Sprachmodell antworte ich auf Englisch; ' +
    'mit einem eingerichteten Sprachmodell würde ich auf Deutsch antworten._',
  pt:
    '_Sem um modelo de linguagem respondo em inglês; ' +
    'com um modelo de linguagem configurado, responderia em português._',
  it:
    '_Senza un modello linguistico rispondo in inglese; ' +
    'con un modello linguistico configurato risponderei in italiano._',
  nl:
    '_Zonder taalmodel antwoord ik in het Engels; ' +
    'met een ingesteld taalmodel zou ik in het Nederlands antwoorden._',
};
