import OpenAI, { APIUserAbortError } from 'openai';
import { NavigatorError } from '../../errors.js';
import { AnswerFieldDecoder } from './answer-field-decoder.js';
import { CircuitBreaker } from './circuit-breaker.js';
import {
  answerJsonSchema,
  answerSchema,
  describeFailure,
  fallbackHint,
  formatGroundedAnswerMessage,
  groundedAnswerSystemPrompt,
  OpenAIGroundedAnswerModel,
  retryAfterMs,
  validCitedMarkers,
  type GroundedAnswerDraft,
  type GroundedAnswerModel,
  type GroundedAnswerRequest,
  type OpenAIGroundedAnswerModelOptions,
} from './grounded-answer-model.js';

/** A grounded answer model that can also hand out its answer text while it is being written. */
export interface StreamingGroundedAnswerModel extends GroundedAnswerModel {
  /** Yields pieces of the answer text; returns the checked draft. Any failure is `llm_unavailable`. */
  streamAnswer(
    request: GroundedAnswerRequest,
    signal?: AbortSignal,
  ): AsyncGenerator<string, GroundedAnswerDraft, void>;
}

/** True when the model can stream its answers. */
export function canStream(model: GroundedAnswerModel): model is StreamingGroundedAnswerModel {
  return typeof (model as Partial<StreamingGroundedAnswerModel>).streamAnswer === 'function';
}

/** Like the SDK's fetch, but past the Retry-After cap the SDK is told not to retry; the body streams. */
function createStreamingFetch(maxRetryAfterMs: number): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const wait = response.ok ? undefined : retryAfterMs(response.headers);
    if (wait === undefined || wait <= maxRetryAfterMs) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

/**
 * Drafts grounded answers with any OpenAI-compatible chat server, whole or streamed (`stream: true`),
 * behind one circuit breaker. A stream that stays silent for the timeout is cut off.
 */
export class OpenAIStreamingAnswerModel implements StreamingGroundedAnswerModel {
  readonly id: string;
  private readonly whole: OpenAIGroundedAnswerModel;
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly breaker: CircuitBreaker;
  private readonly timeoutMs: number;

  constructor(options: OpenAIGroundedAnswerModelOptions) {
    this.model = options.model;
    this.id = `openai:${options.model}`;
    this.timeoutMs = options.timeoutMs;
    this.breaker = options.breaker ?? new CircuitBreaker();
    this.whole = new OpenAIGroundedAnswerModel({ ...options, breaker: this.breaker });
    this.client = new OpenAI({
      apiKey: options.apiKey ?? 'not-needed',
      baseURL: options.baseURL ?? 'https://api.openai.com/v1',
      organization: null,
      project: null,
      logLevel: 'warn',
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries ?? 1,
      fetch: createStreamingFetch(options.maxRetryAfterMs ?? 10_000),
    });
  }

  draftAnswer(request: GroundedAnswerRequest, signal?: AbortSignal): Promise<GroundedAnswerDraft> {
    return this.whole.draftAnswer(request, signal);
  }

  async *streamAnswer(
    request: GroundedAnswerRequest,
    signal?: AbortSignal,
  ): AsyncGenerator<string, GroundedAnswerDraft, void> {
    if (!this.breaker.canRequest())
      throw new NavigatorError(
        'llm_unavailable',
        `The language model is paused after repeated failures. ${fallbackHint}`,
      );
    const idle = new IdleTimer(this.timeoutMs, signal);
    const decoder = new AnswerFieldDecoder();
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.model,
          stream: true,
          messages: [
            { role: 'system', content: groundedAnswerSystemPrompt },
            { role: 'user', content: formatGroundedAnswerMessage(request) },
          ],
          response_format: {
            type: 'json_schema',
            json_schema: { name: 'grounded_answer', strict: true, schema: answerJsonSchema },
          },
        },
        { signal: idle.signal },
      );
      idle.restart();
      for await (const chunk of stream) {
        idle.restart();
        const text = decoder.push(chunk.choices[0]?.delta?.content ?? '');
        if (text) yield text;
      }
    } catch (cause) {
      if (signal?.aborted || (cause instanceof APIUserAbortError && !idle.expired))
        throw new NavigatorError('llm_unavailable', 'The answer request was cancelled.', { cause });
      this.breaker.recordFailure();
      const failure = idle.expired ? 'stopped sending in time' : describeFailure(cause);
      throw new NavigatorError('llm_unavailable', `The language model ${failure}. ${fallbackHint}`, {
        cause,
      });
    } finally {
      idle.stop();
    }
    if (signal?.aborted) throw new NavigatorError('llm_unavailable', 'The answer request was cancelled.');
    return this.checkedDraft(decoder.received, request, idle.expired);
  }

  /** The complete reply must be the JSON we asked for; a stream cut off midway is not. */
  private checkedDraft(
    content: string,
    request: GroundedAnswerRequest,
    expired: boolean,
  ): GroundedAnswerDraft {
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (cause) {
      this.breaker.recordFailure();
      const failure = expired ? 'stopped sending in time' : 'stopped before its answer was complete';
      throw new NavigatorError('llm_unavailable', `The language model ${failure}. ${fallbackHint}`, {
        cause,
      });
    }
    const parsed = answerSchema.safeParse(json);
    if (!parsed.success) {
      this.breaker.recordFailure();
      throw new NavigatorError(
        'llm_unavailable',
        `The language model's JSON does not match {answer, cited}. ${fallbackHint}`,
        { cause: parsed.error },
      );
    }
    this.breaker.recordSuccess();
    const text = parsed.data.answer;
    return { text, citedMarkers: validCitedMarkers(parsed.data.cited, text, request.passages) };
  }
}

/** Aborts when nothing arrived for `ms`, or when the caller's signal aborts. */
class IdleTimer {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  expired = false;

  constructor(
    private readonly ms: number,
    outer?: AbortSignal,
  ) {
    outer?.addEventListener('abort', () => this.controller.abort(outer.reason), { once: true });
    this.restart();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  restart(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort();
    }, this.ms);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
