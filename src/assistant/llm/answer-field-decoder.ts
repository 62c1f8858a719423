const escapes: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * Reads the `answer` string of a `{"answer": "…", "cited": […]}` reply while it streams in, so its
 * text can be shown before the JSON is complete. The complete reply is still parsed and checked.
 */
export class AnswerFieldDecoder {
  private raw = '';
  private cursor = -1;
  private done = false;

  /** Everything received so far: the reply to parse once the stream ends. */
  get received(): string {
    return this.raw;
  }

  /** Adds a piece of the reply; returns the answer text it completes (possibly ''). */
  push(piece: string): string {
    this.raw += piece;
    if (this.done) return '';
    if (this.cursor < 0) {
      const start = /"answer"\s*:\s*"/.exec(this.raw);
      if (!start) return '';
      this.cursor = start.index + start[0].length;
    }
    let text = '';
    while (this.cursor < this.raw.length) {
      const character = this.raw[this.cursor]!;
      if (character === '"') {
        this.done = true;
        break;
      }
      if (character !== '\\') {
        text += character;
        this.cursor += 1;
        continue;
      }
      // An escape cut off by the end of this piece waits for the next one.
      const next = this.raw[this.cursor + 1];
      if (next === undefined) break;
      if (next === 'u') {
        const hex = this.raw.slice(this.cursor + 2, this.cursor + 6);
        if (hex.length < 4) break;
        text += /^[0-9a-f]{4}$/i.test(hex) ? String.fromCharCode(parseInt(hex, 16)) : '';
        this.cursor += 6;
        continue;
      }
      text += escapes[next] ?? next;
      this.cursor += 2;
    }
    return text;
  }
}
