import { describe, expect, it } from 'vitest';
import { askLimitsFor, describeWait, refusalFor } from '../../adapters/ask-limits.js';

const config = { askLimits: { userPerMinute: 20, userPerDay: 200, channelPerMinute: 60 } };

describe('the ask limits policy', () => {
  it("counts a question against the person's minute and day, then the channel's minute", () => {
    expect(askLimitsFor(config, { channel: 'slack', user: 'U1', place: 'C1' })).toEqual([
      { key: 'ask:user:slack:U1:minute', limit: 20, windowMs: 60_000 },
      { key: 'ask:user:slack:U1:day', limit: 200, windowMs: 86_400_000 },
      { key: 'ask:channel:slack:C1:minute', limit: 60, windowMs: 60_000 },
    ]);
    expect(askLimitsFor(config, { channel: 'teams', place: '19:chat' })).toEqual([
      { key: 'ask:channel:teams:19:chat:minute', limit: 60, windowMs: 60_000 },
    ]);
  });

  it('says how long to wait in words, rounded up', () => {
    expect(describeWait(1)).toBe('1 second');
    expect(describeWait(41_200)).toBe('42 seconds');
    expect(describeWait(5 * 60_000 - 1)).toBe('5 minutes');
    expect(describeWait(9.2 * 3_600_000)).toBe('about 10 hours');
  });

  it('tells which limit refused the question', () => {
    const [minute, day, channel] = askLimitsFor(config, { channel: 'slack', user: 'U1', place: 'C1' });
    expect(refusalFor(minute!, 30_000).message).toBe(
      'You have asked me a lot of questions in a short time. Please ask again in 30 seconds.',
    );
    expect(refusalFor(day!, 3 * 3_600_000).message).toBe(
      "You have reached today's limit of 200 questions. Please ask again in about 3 hours.",
    );
    expect(refusalFor(channel!, 12_000)).toEqual({
      retryAfterMs: 12_000,
      message:
        'This channel has asked me a lot of questions in the last minute. Please ask again in 12 seconds.',
    });
  });
});
