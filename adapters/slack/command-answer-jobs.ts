import { z } from 'zod';
import type { JsonValue } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import { channelDefaultsSchema } from '../channel-settings.js';
import { sendKeysFor } from '../durable-jobs.js';
import { enqueueAsked, type EnqueueOutcome } from './thread-answer-jobs.js';
import { respondThrough, type CommandQuestion, type EphemeralAnswers } from './ephemeral-answers.js';

// A private question (slash command, a follow-up on a private answer), stored as a job before
// Slack gets its acknowledgement and answered through the response_url by any replica.

export const slackCommandAnswerKind = 'slack_command_answer';

const commandQuestionSchema = z.object({
  responseUrl: z.string(),
  text: z.string(),
  channel: z.string(),
  user: z.string(),
  preface: z.string().optional(),
  defaults: channelDefaultsSchema.optional(),
});

/** Stores the question as a job; `deliveryKey` (the trigger id) makes a repeated request land once. */
export function enqueueCommandAnswer(
  context: ChannelContext,
  question: CommandQuestion,
  deliveryKey?: string,
): Promise<EnqueueOutcome> {
  return enqueueAsked(
    context,
    {
      kind: slackCommandAnswerKind,
      payload: JSON.parse(JSON.stringify(question)) as JsonValue,
      deliveryKeys: deliveryKey ? [deliveryKey] : [],
      maxAttempts: 3,
    },
    question,
  );
}

/** Lets this replica's worker answer stored private questions. */
export function registerCommandAnswerJobs(context: ChannelContext, answers: EphemeralAnswers): void {
  context.jobs.register(slackCommandAnswerKind, {
    run: (job) => {
      const question = commandQuestionSchema.parse(job.payload);
      return answers.answer(
        respondThrough(question.responseUrl),
        question,
        sendKeysFor(job, context.store.jobs),
      );
    },
    onDead: async (job, error) => {
      context.log('error', 'slack: giving up on a command answer after its last attempt', error);
      const question = commandQuestionSchema.safeParse(job.payload);
      if (question.success)
        await answers.apologise(
          respondThrough(question.data.responseUrl),
          sendKeysFor(job, context.store.jobs),
        );
    },
  });
}
