import type { KnowledgeEntry } from '../../knowledge/schemas.js';
import type { Answer } from '../answer.js';
import type { ConversationState } from '../conversation-store.js';
import type { GroundedAnswerModel } from '../llm/grounded-answer-model.js';
import { canStream } from '../llm/streaming-answer-model.js';
import { SafeTextStream } from '../safe-text-stream.js';
import { languageNames, type SupportedLanguage } from './detect-language.js';
import { draftWithModel, groundingPassages } from './draft.js';

/** The draft stage's shape, so the navigator can run it whole or streamed. */
export type DraftStage = typeof draftWithModel;

/**
 * The draft stage, streamed: each safe piece of the model's text goes to `show` as it arrives. A
 * model that cannot stream drafts whole; a failure midway keeps the offline answer, marked degraded,
 * exactly as the whole draft does.
 */
export function streamingDraft(show: (piece: string) => void): DraftStage {
  return async (
    model: GroundedAnswerModel,
    answer: Answer,
    question: string,
    language: SupportedLanguage,
    entries: Map<string, KnowledgeEntry>,
    state: ConversationState | undefined,
    log: (message: string) => void,
  ): Promise<Answer> => {
    if (!canStream(model)) return draftWithModel(model, answer, question, language, entries, state, log);
    const safe = new SafeTextStream(answer.citations);
    const pieces = model.streamAnswer({
      question,
      intent: answer.intent,
      passages: groundingPassages(answer, entries),
      history: state?.history,
      language: languageNames[language],
    });
    try {
      for (;;) {
        const next = await pieces.next();
        if (next.done) break;
        const piece = safe.push(next.value);
        if (piece) show(piece);
      }
      const rest = safe.end();
      if (rest) show(rest);
      return { ...answer, text: safe.text };
    } catch (error) {
      log(`Language model unavailable, answering offline: ${(error as Error).message}`);
      return { ...answer, status: 'degraded' };
    }
  };
}
