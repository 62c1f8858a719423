import { questionLogEntry, type Navigator, type QuestionLog } from '../src/index.js';
import type { ChannelContext } from './channel.js';

/**
 * The Navigator with every answer written to the question log (time, channel, intent, status,
 * cited ids, latency, language, the user as a salted hash), whatever channel asked. A log that
 * cannot be written never costs the user the answer.
 */
export function withQuestionLog(
  navigator: Navigator,
  questionLog: QuestionLog,
  log: ChannelContext['log'],
): Navigator {
  return {
    usesLanguageModel: navigator.usesLanguageModel,
    async ask(question) {
      const started = performance.now();
      const answer = await navigator.ask(question);
      const latencyMs = Math.round(performance.now() - started);
      await questionLog
        .record(questionLogEntry(question, answer, latencyMs))
        .catch((error: unknown) => log('warn', 'store: could not log a question', error));
      return answer;
    },
  };
}
