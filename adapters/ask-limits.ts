import type { Config, RateLimit, RateLimits } from '../src/index.js';

// How many questions Slack and Teams accept, per person and per channel, shared by every replica
// (the store's fixed-window counters). The defaults are far above what a person types; they stop a
// runaway script or a loop between bots from spending the model budget. Where the check runs:
// Slack counts in the transaction that stores the job, after the delivery keys (a retry of the same
// event counts nothing, a refused question is never queued); Teams, which answers in the turn,
// counts before it starts answering.

/** Who asks where, in one channel's terms. */
export interface Asker {
  channel: 'slack' | 'teams';
  /** The person (Slack user id, Teams AAD object id); without one only the channel is limited. */
  user?: string;
  /** The channel or chat the question was asked in (a Slack channel id, a Teams conversation). */
  place: string;
}

/** A question that was not accepted: what to tell the asker, and after how long they may ask again. */
export interface AskRefusal {
  retryAfterMs: number;
  message: string;
}

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

/** The limits one question counts against, the asker's own first. */
export function askLimitsFor(config: Pick<Config, 'askLimits'>, asker: Asker): RateLimit[] {
  const { userPerMinute, userPerDay, channelPerMinute } = config.askLimits;
  const user = asker.user ? `ask:user:${asker.channel}:${asker.user}` : undefined;
  return [
    ...(user
      ? [
          { key: `${user}:minute`, limit: userPerMinute, windowMs: minuteMs },
          { key: `${user}:day`, limit: userPerDay, windowMs: dayMs },
        ]
      : []),
    {
      key: `ask:channel:${asker.channel}:${asker.place}:minute`,
      limit: channelPerMinute,
      windowMs: minuteMs,
    },
  ];
}

/** "30 seconds", "5 minutes", "about 3 hours": a wait a person can read, never less than it is. */
export function describeWait(milliseconds: number): string {
  const seconds = Math.max(1, Math.ceil(milliseconds / 1000));
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `${minutes} minutes`;
  return `about ${Math.ceil(minutes / 60)} hours`;
}

/** The short, friendly sentence for a refused question, by which limit refused it. */
export function refusalFor(refused: RateLimit, retryAfterMs: number): AskRefusal {
  const wait = describeWait(retryAfterMs);
  const message = refused.key.startsWith('ask:channel:')
    ? `This channel has asked me a lot of questions in the last minute. Please ask again in ${wait}.`
    : refused.windowMs >= dayMs
      ? `You have reached today's limit of ${refused.limit} questions. Please ask again in ${wait}.`
      : `You have asked me a lot of questions in a short time. Please ask again in ${wait}.`;
  return { retryAfterMs, message };
}

/** Counts the question against its limits (for a channel that answers in the turn); a refusal or nothing. */
export async function checkAskLimits(
  rateLimits: RateLimits,
  config: Pick<Config, 'askLimits'>,
  asker: Asker,
): Promise<AskRefusal | undefined> {
  const verdict = await rateLimits.hitEach(askLimitsFor(config, asker));
  return verdict.allowed ? undefined : refusalFor(verdict.refused, verdict.retryAfterMs);
}
