import {
  ActivityHandler,
  ActivityTypes,
  TurnContext,
  type Activity,
  type ConversationReference,
  type InvokeResponse,
} from 'botbuilder';
import {
  askStreaming,
  type Answer,
  type Feedback,
  type JsonValue,
  type Navigator,
  type NavigatorStore,
  type Question,
} from '../../src/index.js';
import { BackgroundTasks } from '../background-tasks.js';
import type { ChannelContext } from '../channel.js';
import { privateNote, readCardFeedback, unknownAction } from './card-feedback.js';
import { withConnectorRetry } from './connector-retry.js';
import { renderAnswerMessages } from './fit-message.js';
import { conversationKey, readFeedbackLoop, readIncomingMessage } from './incoming-activity.js';
import { renderNotice } from './render-text-reply.js';
import { answerSearchQuery } from './message-extension.js';
import { TeamsStream, type SendActivity } from './stream-reply.js';
import { renderWelcome } from './welcome-message.js';

// Turns Teams activities into Navigator questions and answers back into Teams messages. The Bot
// Service gives a turn about 15 s; an answer that takes longer than `acknowledgeAfterMs` is announced
// at once and delivered later in a new, proactive turn, so the request never times out.

export interface NavigatorBotOptions {
  navigator: Navigator;
  /** Feedback, what each sent message answered and the conversation references, for every replica. */
  store: Pick<NavigatorStore, 'feedback' | 'teams'>;
  log: ChannelContext['log'];
  /**
   * Runs `logic` in a new turn of the conversation `reference` names (botbuilder's
   * continueConversationAsync).
   */
  continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void>;
  acknowledgeAfterMs?: number;
  /** Answers a command typed to the bot (digest subscriptions); false when the text is a question. */
  commands?(context: TurnContext, text: string): Promise<boolean>;
  /** The pause between streamed updates in personal chats (default 1.5 s, Teams' recommended pace). */
  streamIntervalMs?: number;
}

export class NavigatorBot extends ActivityHandler {
  private readonly lateAnswers: BackgroundTasks;

  constructor(private readonly options: NavigatorBotOptions) {
    super();
    this.lateAnswers = new BackgroundTasks(options.log, 'Teams');
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      // Welcome once, when the bot itself joins; not every time a person joins the team.
      const botAdded = (context.activity.membersAdded ?? []).some(
        (member) => member.id === context.activity.recipient.id,
      );
      if (botAdded) await this.send(context, [renderWelcome(context.activity.conversation.conversationType)]);
      await next();
    });
  }

  /** Waits, at most `timeoutMs`, for answers still being composed in the background (on shutdown). */
  async settle(timeoutMs = 20_000): Promise<void> {
    await this.lateAnswers.drain(timeoutMs);
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === 'adaptiveCard/action') return this.onCardAction(context);
    if (context.activity.name === 'composeExtension/query')
      return answerSearchQuery(this.options.navigator, context.activity.value);
    if (context.activity.name !== 'message/submitAction') return super.onInvokeActivity(context);
    const feedback = readFeedbackLoop(context.activity.value);
    if (feedback) {
      const sent = await this.options.store.teams.recallSentAnswer(context.activity.replyToId);
      await this.record(context, {
        rating: feedback.rating,
        comment: feedback.comment,
        question: sent?.question,
        citedIds: sent?.citedIds,
      });
    }
    // Teams wants a bare 200 (a body is an error) and shows its own "feedback submitted".
    return { status: 200 };
  }

  /** 👍/👎 on an answer card: recorded, and acknowledged to the presser alone. */
  private async onCardAction(context: TurnContext): Promise<InvokeResponse> {
    const feedback = readCardFeedback(context.activity.value);
    if (!feedback) return unknownAction;
    await this.record(context, feedback);
    return privateNote('Thank you, your feedback is recorded for the curators of the knowledge base.');
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const incoming = readIncomingMessage(context.activity);
    if (incoming.kind === 'ignore') return;
    if (incoming.kind === 'feedback') {
      // Cards sent before feedback moved to Action.Execute: recorded, and nothing posted for all to see.
      await this.record(context, {
        rating: incoming.rating,
        question: incoming.question,
        citedIds: incoming.citedIds,
      });
      return;
    }
    if (await this.options.commands?.(context, incoming.text)) return;
    await this.answer(context, incoming.text);
  }

  private async answer(context: TurnContext, text: string): Promise<void> {
    const activity = context.activity;
    const question: Question = {
      text,
      conversationId: conversationKey(activity),
      user: activity.from?.aadObjectId ?? activity.from?.id,
      channel: 'teams',
    };
    if (activity.conversation?.conversationType === 'personal' && this.options.navigator.usesLanguageModel)
      if (await this.streamInChat(context, question)) return;
    // Typing is a courtesy: sent once, not retried, and its failure does not stop the answer.
    await context
      .sendActivity({ type: ActivityTypes.Typing })
      .catch((error: unknown) =>
        this.options.log('warn', 'Teams: could not send the typing indicator', error),
      );
    const reference = TurnContext.getConversationReference(activity);
    await this.options.store.teams.saveReference(question.conversationId!, reference as JsonValue);
    const pending = this.options.navigator.ask(question);
    const early = await settleWithin(pending, this.options.acknowledgeAfterMs ?? 3_000);
    if (early) {
      await this.deliver(context, question, early.answer);
      return;
    }
    await this.send(context, [
      renderNotice('Working on it: this one takes a little longer. I will post the answer here in a moment.'),
    ]);
    this.lateAnswers.run('composing or delivering a late answer', async () => {
      try {
        const answer = await pending;
        await this.continueWith(reference, (proactive) => this.deliver(proactive, question, answer));
      } catch (error) {
        this.options.log('error', 'Teams: composing or delivering a late answer failed', error);
        await this.continueWith(reference, async (proactive) => {
          await this.send(proactive, [
            renderNotice('Sorry, I could not finish that answer. Please ask again in a moment.'),
          ]);
        });
      }
    });
  }

  /**
   * Streams the answer in a personal chat while the model writes it; false when Teams would not
   * start a stream (nothing shown), so the usual reply follows. The informative update goes out in
   * this turn; the rest in a proactive one, so the request returns within the Bot Service's budget.
   */
  private async streamInChat(context: TurnContext, question: Question): Promise<boolean> {
    const send: SendActivity = (activity) => withConnectorRetry(() => context.sendActivity(activity));
    let stream: TeamsStream;
    try {
      stream = await TeamsStream.start(
        send,
        'Searching cases and toolkits…',
        this.options.streamIntervalMs ?? 1_500,
      );
    } catch (error) {
      this.options.log('info', 'Teams: could not start a stream; answering in one message', error);
      return false;
    }
    const reference = TurnContext.getConversationReference(context.activity);
    const conversationType = context.activity.conversation?.conversationType;
    this.lateAnswers.run('streaming an answer', async () => {
      try {
        await this.continueWith(reference, async (proactive) => {
          stream.sendThrough((activity) => withConnectorRetry(() => proactive.sendActivity(activity)));
          for await (const event of askStreaming(this.options.navigator, question)) {
            if (event.type === 'text') stream.append(event.text);
            else if (event.type === 'restart') stream.freeze();
            else {
              const messages = renderAnswerMessages(event.answer, {
                question: question.text,
                conversationType,
              });
              await this.rememberSent(await stream.finish(messages), question, event.answer);
            }
          }
        });
      } catch (error) {
        this.options.log('error', 'Teams: streaming an answer failed', error);
        await this.continueWith(reference, async (proactive) => {
          await this.send(proactive, [
            renderNotice('Sorry, I could not finish that answer. Please ask again in a moment.'),
          ]);
        });
      }
    });
    return true;
  }

  /** A proactive turn whose replies go to the original message, as an in-turn reply would. */
  private continueWith(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    return this.options.continueConversation(reference, async (context) => {
      // botbuilder would address replies to the continuation event's random id; point them at the question.
      context.onSendActivities(async (_context, activities, next) => {
        for (const outgoing of activities)
          if (reference.activityId) outgoing.replyToId = reference.activityId;
        return next();
      });
      await logic(context);
    });
  }

  private async deliver(context: TurnContext, question: Question, answer: Answer): Promise<void> {
    const messages = renderAnswerMessages(answer, {
      question: question.text,
      conversationType: context.activity.conversation?.conversationType,
    });
    await this.rememberSent(await this.send(context, messages), question, answer);
  }

  private async rememberSent(ids: string[], question: Question, answer: Answer): Promise<void> {
    const citedIds = answer.citations.map((citation) => citation.id);
    for (const id of ids)
      await this.options.store.teams.rememberSentAnswer(id, {
        question: question.text,
        conversationId: question.conversationId!,
        citedIds,
      });
  }

  /** Sends in order, each message retried on 429/412; returns the ids Teams gave them. */
  private async send(context: TurnContext, activities: Partial<Activity>[]): Promise<string[]> {
    const ids: string[] = [];
    for (const activity of activities) {
      const response = await withConnectorRetry(() => context.sendActivity(activity));
      if (response?.id) ids.push(response.id);
    }
    return ids;
  }

  private async record(
    context: TurnContext,
    feedback: Omit<Feedback, 'channel' | 'conversationId' | 'user'>,
  ): Promise<void> {
    const activity = context.activity;
    await this.options.store.feedback.record({
      channel: 'teams',
      conversationId: conversationKey(activity),
      user: activity.from?.aadObjectId ?? activity.from?.id,
      ...feedback,
    });
  }
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
