import { z } from 'zod';
import { emptyToUndefined } from './environment-values.js';

// The curator channels a question can be handed to ("Ask a curator"), read from the environment.
// Each is optional: without it the channel shows no "Ask a curator" button.

export const curatorEnvironment = {
  NAVIGATOR_CURATOR_CHANNEL_SLACK: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, { message: 'must be a Slack channel id such as C0123CURATORS' })
      .optional(),
  ),
  NAVIGATOR_CURATOR_CHANNEL_TEAMS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^19:[^;\s]+$/, {
        message:
          'must be the Teams channel conversation id the bot is installed in, e.g. 19:abc…@thread.tacv2 ' +
          '(without ;messageid=)',
      })
      .optional(),
  ),
  NAVIGATOR_CURATOR_FEEDBACK_MINUTES: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'must be a number of minutes such as 15' })
      .positive({ message: 'must be more than 0 minutes' })
      .max(1_440, { message: 'must be at most 1440 minutes (a day)' })
      .optional(),
  ),
};

/** Where questions handed to a person go, per channel, and how often 👎 comments are summarised there. */
export interface CuratorSettings {
  /** A Slack channel id the bot is a member of. */
  slackChannel?: string;
  /** A Teams channel conversation id (19:…@thread.tacv2) the bot is installed in. */
  teamsChannel?: string;
  /** At most one 👎-comment notice per this many milliseconds in each curator channel. */
  feedbackNoticeEveryMs: number;
}

export function curatorSettings(values: {
  NAVIGATOR_CURATOR_CHANNEL_SLACK?: string;
  NAVIGATOR_CURATOR_CHANNEL_TEAMS?: string;
  NAVIGATOR_CURATOR_FEEDBACK_MINUTES?: number;
}): CuratorSettings {
  return {
    slackChannel: values.NAVIGATOR_CURATOR_CHANNEL_SLACK,
    teamsChannel: values.NAVIGATOR_CURATOR_CHANNEL_TEAMS,
    feedbackNoticeEveryMs: Math.round((values.NAVIGATOR_CURATOR_FEEDBACK_MINUTES ?? 15) * 60_000),
  };
}
