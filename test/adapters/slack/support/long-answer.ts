import type { Answer } from '../../../../src/index.js';

/**
 * An answer of about 50,000 characters, dense with citation markers and links, like a very long model
 * draft.
 */
export function longAnswer(base: Answer, characters = 50_000): Answer {
  const paragraphs: string[] = [];
  for (let index = 0; paragraphs.join('\n\n').length < characters; index += 1) {
    const marker = (index % base.citations.length) + 1;
    paragraphs.push(
      `**Step ${index + 1}.** Teams that made benefits proactive & <simple> first mapped life events, ` +
        `then [read the evaluation](https://example.org/evaluations/${index}?a=1&b=2) ` +
        `and shared data between agencies [${marker}]. ` +
        `${'They tested with residents, changed the letters and measured take-up again. '.repeat(4)}` +
        `[${((index + 1) % base.citations.length) + 1}]`,
    );
  }
  return { ...base, text: paragraphs.join('\n\n') };
}
