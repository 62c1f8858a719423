import type { Config } from '../../config.js';
import type { GroundedAnswerModel } from './grounded-answer-model.js';
import { OpenAIMessageReader, type MessageReader } from './message-reader.js';
import { OpenAIStreamingAnswerModel } from './streaming-answer-model.js';

/** Whether an OpenAI-compatible endpoint is configured (a key, or a self-hosted base URL). */
export function modelConfigured(config: Config): boolean {
  return Boolean(config.openai.apiKey || config.openai.baseURL);
}

/** The model that drafts answers: the one passed in, else one from the configuration, else none. */
export function answerModelFor(
  config: Config,
  given: GroundedAnswerModel | null | undefined,
): GroundedAnswerModel | null {
  if (given !== undefined) return given;
  if (!modelConfigured(config)) return null;
  return new OpenAIStreamingAnswerModel({
    apiKey: config.openai.apiKey,
    baseURL: config.openai.baseURL,
    model: config.openai.model,
    timeoutMs: config.openai.timeoutMs,
  });
}

/** The model that reads messages; one short call, so it gets a tighter timeout than drafting. */
export function messageReaderFor(
  config: Config,
  given: MessageReader | null | undefined,
): MessageReader | null {
  if (given !== undefined) return given;
  if (!modelConfigured(config)) return null;
  return new OpenAIMessageReader({
    apiKey: config.openai.apiKey,
    baseURL: config.openai.baseURL,
    model: config.openai.model,
    timeoutMs: Math.min(config.openai.timeoutMs, 4_000),
  });
}
