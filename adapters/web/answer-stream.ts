import type { Answer, Navigator, Question } from '../../src/index.js';

// THE STREAMING SEAM. When the core's Navigator offers a streaming ask (`askStream`, being added
// in the channel issue), its pieces are passed on as they are written; until then the whole answer
// is asked for and its text is sent in sentence-sized pieces, so the browser code is the same.

export type AnswerPiece = { type: 'delta'; text: string } | { type: 'answer'; answer: Answer };

interface MaybeStreamingNavigator extends Navigator {
  askStream?: (question: Question) => AsyncIterable<AnswerPiece>;
}

/** The answer as pieces of text, ending with the whole structured answer. */
export async function* streamAnswer(navigator: Navigator, question: Question): AsyncGenerator<AnswerPiece> {
  const streaming = navigator as MaybeStreamingNavigator;
  if (typeof streaming.askStream === 'function') {
    yield* streaming.askStream(question);
    return;
  }
  const answer = await navigator.ask(question);
  for (const text of piecesOf(answer.text)) yield { type: 'delta', text };
  yield { type: 'answer', answer };
}

/** Splits after sentence ends and line breaks, keeping every character. */
export function piecesOf(text: string): string[] {
  return text.match(/[^.!?\n]*(?:[.!?]+\s*|\n+|$)/g)?.filter((piece) => piece.length > 0) ?? [];
}
