import { describe, expect, it } from 'vitest';
import { bestSection } from '../../src/assistant/compose-answer.js';

// Which section of the top entry a direct answer quotes: the one about what the question asks,
// not the one that repeats the entry's own name most.

const declaration = [
  { heading: 'Who has adhered (signed up)', text: 'At adoption: 40 countries. Check your country status.' },
  {
    heading: 'Why it matters to you',
    text: 'The Declaration signals that innovation matters. If your country has adhered, cite it.',
  },
];
const title = 'OECD Declaration on Public Sector Innovation';

describe('bestSection', () => {
  it("does not let the entry's own title words pick the section, and weighs headings", () => {
    const question = 'what is the declaration on public sector innovation and has my country adhered?';
    expect(bestSection(question, declaration, title)?.heading).toBe('Who has adhered (signed up)');
  });

  it('quotes no section when only the title words are shared', () => {
    expect(bestSection('tell me about the declaration on public sector innovation', declaration, title)).toBe(
      undefined,
    );
  });
});
