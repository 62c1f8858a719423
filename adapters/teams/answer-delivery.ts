import { ActivityTypes, type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import type { Answer, Navigator, NavigatorStore, Question } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import type { SendKeys } from '../durable-jobs.js';
import { withConnectorRetry } from './connector-retry.js';
import type { TeamsCuratorHandOff } from './curator-hand-off.js';
import { renderAnswerMessages } from './fit-message.js';
import { renderNotice } from './render-text-reply.js';

// Sends a Teams answer from a stored job, on whichever replica claimed it: a proactive turn
// (botbuilder's continueConversationAsync with the stored conversation reference) whose replies
// still point at the question. The answer goes out under one send key, so a retried or reclaimed
// job never posts it twice; a failure before anything was posted is thrown, for a retry with backoff.

/** A question to answer in Teams; plain data, since it is stored as a job. */
export interface TeamsQuestion {
  /** botbuilder's ConversationReference of the question (its activityId is the question's id). */
  reference: Partial<ConversationReference>;
  /** The activity that asked: the answer replies to it, and a redelivery of it is recognised by it. */
  activityId: string;
  text: string;
  /** The Navigator's conversation id (conversationKey of the activity). */
  conversationId: string;
  user?: string;
  /** 'personal', 'groupChat' or 'channel'. */
  conversationType?: string;
  /** The channel's settings (soft filters, language), read when the question came in. */
  defaults?: Question['defaults'];
}

/** botbuilder's continueConversationAsync, bound to this bot's app id. */
export type ContinueConversation = (
  reference: Partial<ConversationReference>,
  logic: (context: TurnContext) => Promise<void>,
) => Promise<void>;

export interface TeamsAnswerDeliveryOptions {
  navigator: Navigator;
  store: Pick<NavigatorStore, 'teams'>;
  log: ChannelContext['log'];
  continueConversation: ContinueConversation;
  /** "Ask a curator" (NAVIGATOR_CURATOR_CHANNEL_TEAMS): adds its button to each answer. */
  curators?: TeamsCuratorHandOff;
  /** An answer still being composed after this is announced ("Working on it"). Default 3 s. */
  acknowledgeAfterMs?: number;
}

export const teamsApology =
  'Sorry, something went wrong while I was preparing this answer. Please try again in a moment.';
const partialApology = 'Sorry, the rest of this answer could not be sent. Please ask again in a moment.';
const workingOnIt = 'Working on it: this one takes a little longer. I will post the answer here in a moment.';

export class TeamsAnswerDelivery {
  constructor(private readonly options: TeamsAnswerDeliveryOptions) {}

  /** The answer's messages, with the "Ask a curator" button when a curator channel is set. */
  render(question: TeamsQuestion, answer: Answer): Partial<Activity>[] {
    const messages = renderAnswerMessages(answer, {
      question: question.text,
      conversationType: question.conversationType,
    });
    return this.options.curators?.withButton(messages, question.text, answer) ?? messages;
  }

  /** Asks the Navigator and posts the answer as a reply to the question, at most once. */
  async answer(question: TeamsQuestion, sends: SendKeys): Promise<void> {
    // Already answered (by an earlier attempt, or by the in-turn stream): nothing to compose. Only
    // read: a claim given back at once would stay taken if the replica died in between.
    if (await sends.taken('answer')) return;
    await this.proactively(question, async (context) => {
      // Typing is a courtesy: sent once, not retried, and its failure does not stop the answer.
      await this.bestEffort('send the typing indicator', () =>
        context.sendActivity({ type: ActivityTypes.Typing }),
      );
      const answer = await this.composeAnnouncingDelay(context, question, sends);
      await this.post(context, question, answer, sends);
    });
  }

  /** The short note after the last attempt failed, sent at most once. */
  async apologise(question: TeamsQuestion, sends: SendKeys, text = teamsApology): Promise<void> {
    if (!(await sends.claim('apology'))) return;
    const sent = await this.bestEffort('send the apology', () =>
      this.proactively(question, async (context) => {
        await withConnectorRetry(() => context.sendActivity(renderNotice(text)));
      }),
    );
    if (sent) await sends.confirm('apology');
    else await sends.release('apology');
  }

  /** What each sent message answered, so that feedback on it (on any replica) finds its question. */
  async rememberSent(ids: string[], question: Pick<Question, 'text' | 'conversationId'>, answer: Answer) {
    const citedIds = answer.citations.map((citation) => citation.id);
    for (const id of ids)
      await this.options.store.teams.rememberSentAnswer(id, {
        question: question.text,
        conversationId: question.conversationId!,
        citedIds,
        answer: answer.text,
      });
  }

  /**
   * A proactive turn whose replies go to the original message, as an in-turn reply would. Errors
   * come back to the caller: the adapter's onTurnError would otherwise tell the user and swallow them.
   */
  async proactively(question: TeamsQuestion, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    let failure: { error: unknown } | undefined;
    await this.options.continueConversation(question.reference, async (context) => {
      // botbuilder would address replies to the continuation event's random id; point them at the question.
      context.onSendActivities(async (_context, activities, next) => {
        for (const outgoing of activities) outgoing.replyToId = question.activityId;
        return next();
      });
      try {
        await logic(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }

  /** The answer; if it takes longer than acknowledgeAfterMs, "Working on it" is posted meanwhile (once). */
  private async composeAnnouncingDelay(
    context: TurnContext,
    question: TeamsQuestion,
    sends: SendKeys,
  ): Promise<Answer> {
    const pending = this.options.navigator.ask(toQuestion(question));
    const early = await settleWithin(pending, this.options.acknowledgeAfterMs ?? 3_000);
    if (early) return early.answer;
    if (await sends.claim('notice')) {
      const posted = await this.bestEffort('announce a slow answer', () =>
        withConnectorRetry(() => context.sendActivity(renderNotice(workingOnIt))),
      );
      await (posted ? sends.confirm('notice') : sends.release('notice'));
    }
    return pending;
  }

  private async post(
    context: TurnContext,
    question: TeamsQuestion,
    answer: Answer,
    sends: SendKeys,
  ): Promise<void> {
    if (!(await sends.claim('answer'))) {
      this.options.log('info', `Teams: the answer to ${question.activityId} was sent already`);
      return;
    }
    const messages = this.render(question, answer);
    const ids: string[] = [];
    try {
      for (const message of messages) ids.push(...(await this.send(context, message)));
    } catch (error) {
      if (ids.length === 0) {
        await sends.release('answer');
        throw error;
      }
      // Part of the answer is in the conversation: sending it again would repeat that part.
      this.options.log('error', `Teams: could not finish the answer to ${question.activityId}`, error);
      await sends.confirm('answer', { ids, partial: true });
      await this.rememberSent(ids, question, answer);
      await this.bestEffort('send the partial apology', () =>
        withConnectorRetry(() => context.sendActivity(renderNotice(partialApology))),
      );
      return;
    }
    await sends.confirm('answer', { ids });
    await this.rememberSent(ids, question, answer);
  }

  /** One message, retried on 429/412; the id Teams gave it. */
  private async send(context: TurnContext, activity: Partial<Activity>): Promise<string[]> {
    const response = await withConnectorRetry(() => context.sendActivity(activity));
    return response?.id ? [response.id] : [];
  }

  /** Runs a call whose failure must not stop the answer; true when it worked. */
  private async bestEffort(what: string, call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (error) {
      this.options.log('warn', `Teams: could not ${what}`, error);
      return false;
    }
  }
}

/** The Navigator's question for a stored Teams question. */
export function toQuestion(question: TeamsQuestion): Question {
  return {
    text: question.text,
    conversationId: question.conversationId,
    user: question.user,
    channel: 'teams',
    defaults: question.defaults,
  };
}

/** The answer if it settles within `milliseconds`, undefined if it is still pending; rejections propagate. */
async function settleWithin(
  pending: Promise<Answer>,
  milliseconds: number,
): Promise<{ answer: Answer } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), milliseconds);
  });
  try {
    return await Promise.race([pending.then((answer) => ({ answer })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
