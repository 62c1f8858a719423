import { askStreaming, type Answer, type Navigator, type Question } from '../../src/index.js';

export type AnswerPiece = { type: 'delta'; text: string } | { type: 'answer'; answer: Answer };

/**
 * The answer as pieces of text, ending with the whole structured answer. A model that fails midway
 * restarts the text; the browser replaces what it showed with the final answer, so the restart is
 * not passed on. A whole (offline) answer is sent in sentence-sized pieces, so the browser code is
 * the same either way.
 */
export async function* streamAnswer(navigator: Navigator, question: Question): AsyncGenerator<AnswerPiece> {
  let streamed = false;
  for await (const event of askStreaming(navigator, question)) {
    if (event.type === 'text' && navigator.askStream) {
      streamed = true;
      yield { type: 'delta', text: event.text };
    } else if (event.type === 'final') {
      if (!streamed) for (const text of piecesOf(event.answer.text)) yield { type: 'delta', text };
      yield { type: 'answer', answer: event.answer };
    }
  }
}

/** Splits after sentence ends and line breaks, keeping every character. */
export function piecesOf(text: string): string[] {
  return text.match(/[^.!?\n]*(?:[.!?]+\s*|\n+|$)/g)?.filter((piece) => piece.length > 0) ?? [];
}
