import { describe, expect, it } from 'vitest';
import {
  questionWithThreadContext,
  threadContextLimits,
  threadContextLines,
} from '../../../adapters/slack/thread-context.js';

const bot = { botUserId: 'U0NAVIGATOR', botId: 'B0NAVIGATOR' };
const place = { channel: 'C0PUBLIC', threadTs: '100.000001', mentionTs: '200.000001' };
const opening = { ts: place.threadTs, user: 'U0CAROL', text: 'Has anyone made child benefits proactive?' };
const reply = (n: number, text = `reply ${n}`) => ({ ts: `${110 + n}.000001`, user: 'U0BOB', text });

describe('the thread a mention replies in', () => {
  it('is its opening message and its last five replies before the mention, oldest first', () => {
    const replies = Array.from({ length: 8 }, (_, n) => reply(n));
    const later = { ts: '300.000001', user: 'U0BOB', text: 'after the mention' };
    expect(threadContextLines([opening, ...replies, later], place, bot)).toEqual([
      opening.text,
      'reply 3',
      'reply 4',
      'reply 5',
      'reply 6',
      'reply 7',
    ]);
  });

  it("leaves out the Navigator's own messages, joins and empty ones; writes mentions out", () => {
    const lines = threadContextLines(
      [
        opening,
        { ts: '111.000001', user: 'U0NAVIGATOR', text: 'an earlier answer' },
        { ts: '112.000001', bot_id: 'B0NAVIGATOR', text: 'a streamed answer' },
        { ts: '113.000001', user: 'U0DAVE', subtype: 'channel_join', text: '<@U0DAVE> has joined' },
        { ts: '114.000001', user: 'U0DAVE', text: '   ' },
        { ts: '115.000001', user: 'U0DAVE', text: '<@U0CAROL|carol> same &amp; worse here' },
        { ts: '116.000001', bot_id: 'B0WORKFLOW', subtype: 'bot_message', text: 'Request #42 logged' },
      ],
      place,
      bot,
    );
    expect(lines).toEqual([opening.text, '@carol same & worse here', 'Request #42 logged']);
  });

  it('keeps each message and the whole within their character limits', () => {
    const long = 'x'.repeat(5_000);
    const lines = threadContextLines(
      [{ ...opening, text: long }, ...Array.from({ length: 5 }, (_, n) => reply(n, long))],
      place,
      bot,
    );
    expect(lines[0]!.length).toBeLessThanOrEqual(threadContextLimits.openingCharacters);
    for (const line of lines.slice(1))
      expect(line.length).toBeLessThanOrEqual(threadContextLimits.replyCharacters);

    const question = questionWithThreadContext(lines, 'can you help?');
    expect(question.length).toBeLessThanOrEqual(
      threadContextLimits.totalCharacters + 'can you help?'.length + 2,
    );
    // The earliest replies give way first; the opening message and the mention stay.
    expect(question.startsWith('x')).toBe(true);
    expect(question.endsWith('\n\ncan you help?')).toBe(true);
  });

  it('puts the thread before the mention, and leaves a long mention alone', () => {
    expect(questionWithThreadContext(['the question', 'a reply'], 'can you help?')).toBe(
      'the question\na reply\n\ncan you help?',
    );
    expect(questionWithThreadContext(['the question'], '')).toBe('the question');
    const longMention = 'y'.repeat(threadContextLimits.questionCharacters);
    expect(questionWithThreadContext(['the question'], longMention)).toBe(longMention);
  });
});
