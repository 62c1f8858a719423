import type { Answer, Question } from './answer.js';

/**
 * What a streamed ask hands out, in order: text pieces, then the final answer. The pieces joined
 * equal the final answer's text; when they cannot (the model failed midway and the offline answer
 * stands instead), a `restart` comes first: drop what was shown, the pieces that follow are all.
 */
export type AnswerStreamEvent =
  { type: 'text'; text: string } | { type: 'restart'; reason: string } | { type: 'final'; answer: Answer };

/** Runs an ask whose draft stage may `show` text, and hands out its pieces as they come. */
export async function* streamAnswer(
  run: (show: (piece: string) => void) => Promise<Answer>,
): AsyncGenerator<AnswerStreamEvent, void, void> {
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let settled: { answer: Answer } | { error: unknown } | undefined;
  const nudge = () => {
    wake?.();
    wake = undefined;
  };
  run((piece) => {
    queue.push(piece);
    nudge();
  }).then(
    (answer) => {
      settled = { answer };
      nudge();
    },
    (error: unknown) => {
      settled = { error };
      nudge();
    },
  );
  let shown = '';
  for (;;) {
    while (queue.length > 0) {
      const text = queue.shift()!;
      shown += text;
      yield { type: 'text', text };
    }
    if (settled) break;
    await new Promise<void>((resolve) => (wake = resolve));
  }
  if ('error' in settled) throw settled.error;
  const { answer } = settled;
  if (shown !== answer.text) {
    if (shown) yield { type: 'restart', reason: 'the language model stopped before its answer was complete' };
    if (answer.text) yield { type: 'text', text: answer.text };
  }
  yield { type: 'final', answer };
}

/** Collects a stream into its final answer (what `ask` returns). */
export async function finalAnswerOf(events: AsyncIterable<AnswerStreamEvent>): Promise<Answer> {
  for await (const event of events) if (event.type === 'final') return event.answer;
  throw new Error('The answer stream ended without a final answer');
}

/** Streams from a navigator that can, and hands a whole answer out as one piece from one that cannot. */
export async function* askStreaming(
  navigator: {
    ask(question: Question): Promise<Answer>;
    askStream?(question: Question): AsyncIterable<AnswerStreamEvent>;
  },
  question: Question,
): AsyncGenerator<AnswerStreamEvent, void, void> {
  if (navigator.askStream) {
    yield* navigator.askStream(question);
    return;
  }
  const answer = await navigator.ask(question);
  yield { type: 'text', text: answer.text };
  yield { type: 'final', answer };
}
