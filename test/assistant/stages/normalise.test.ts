import { describe, expect, it } from 'vitest';
import { normaliseMessage } from '../../../src/assistant/stages/normalise.js';
import { maxQuestionCharacters } from '../../../src/assistant/safety.js';

describe('normaliseMessage', () => {
  it('removes Slack and Teams markup but keeps link labels and channel names', () => {
    const { text } = normaliseMessage(
      '<@U012ABC> hi :wave: see <https://example.org/plan|our strategy> in <#C0123|innovation> ' +
        '&amp; <at>PSI Navigator</at> ok? <!here>',
    );
    expect(text).toBe('hi see our strategy in #innovation & ok?');
  });

  it('keeps line breaks of a pasted list, turns HTML breaks into lines and keeps times', () => {
    expect(normaliseMessage('Projects:<br>- a<br/>- b at 10:30').text).toBe('Projects:\n- a\n- b at 10:30');
  });

  it('flags a message over the cap instead of cutting it', () => {
    const long = normaliseMessage('budget '.repeat(maxQuestionCharacters));
    expect(long.tooLong).toBe(true);
    expect(normaliseMessage('short').tooLong).toBe(false);
  });
});
