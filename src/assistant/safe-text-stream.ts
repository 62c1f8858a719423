import type { Citation } from './answer.js';
import { finaliseText } from './stages/finalise.js';

const openers: Record<string, string> = { '[': ']', '(': ')', '<': '>' };

/**
 * Turns a model's raw text pieces into pieces safe to show at once: each is cut where no link,
 * marker or `<…>` is open, just before whitespace, and gets the same checks as the finished answer,
 * so the pieces joined equal the finished answer's text.
 */
export class SafeTextStream {
  private pending = '';
  private shown = '';

  constructor(private readonly citations: Citation[]) {}

  /** Everything handed out so far. */
  get text(): string {
    return this.shown;
  }

  /** Adds raw text; returns the piece that can be shown now ('' when all of it must wait). */
  push(raw: string): string {
    this.pending += raw;
    const cut = lastSafeCut(this.pending);
    if (cut <= 0) return '';
    const piece = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    return this.show(piece);
  }

  /** The rest, once the model is done. */
  end(): string {
    const rest = this.pending.trimEnd();
    this.pending = '';
    return rest ? this.show(rest) : '';
  }

  private show(raw: string): string {
    let piece = finaliseText(this.shown ? raw : raw.trimStart(), this.citations);
    // At most one blank line in a row, across pieces too.
    const trailing = /\n*$/.exec(this.shown)![0].length;
    piece = piece.replace(/^\n+/, (run) => '\n'.repeat(Math.max(0, Math.min(run.length, 2 - trailing))));
    piece = piece.replace(/\n{3,}/g, '\n\n');
    this.shown += piece;
    return piece;
  }
}

/** The start of the last whitespace run outside any bracket, or -1. */
function lastSafeCut(text: string): number {
  const open: string[] = [];
  let cut = -1;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    if (openers[character]) open.push(openers[character]);
    else if (character === open.at(-1)) open.pop();
    else if (open.length === 0 && /\s/.test(character) && !/\s/.test(text[index - 1] ?? ' ')) cut = index;
  }
  return cut;
}
