import { ActivityHandler, TurnContext, type Activity, type InvokeResponse } from 'botbuilder';
import {
  askStreaming,
  type Feedback,
  type JsonValue,
  type Navigator,
  type NavigatorStore,
  type Question,
  type RateLimit,
} from '../../src/index.js';
import type { Asker } from '../ask-limits.js';
import { BackgroundTasks } from '../background-tasks.js';
import type { ChannelContext } from '../channel.js';
import { sendKeysFor, type DurableJobs, type SendKeys } from '../durable-jobs.js';
import { toQuestion, type TeamsAnswerDelivery, type TeamsQuestion } from './answer-delivery.js';
import { enqueueTeamsAnswer } from './answer-jobs.js';
import { privateNote, readCardFeedback, unknownAction } from './card-feedback.js';
import { settingsWords } from '../channel-settings.js';
import type { TeamsChannelSettings } from './channel-settings.js';
import { withConnectorRetry } from './connector-retry.js';
import type { TeamsCuratorHandOff } from './curator-hand-off.js';
import {
  conversationKey,
  conversationRoot,
  readFeedbackLoop,
  readIncomingMessage,
} from './incoming-activity.js';
import { answerSearchQuery } from './message-extension.js';
import { renderNotice } from './render-text-reply.js';
import { TeamsStream, type SendActivity } from './stream-reply.js';
import { renderWelcome } from './welcome-message.js';

// Turns Teams activities into Navigator questions and answers back into Teams messages. A question
// is stored as a durable job before the turn returns, and answered from the job in a proactive turn
// by any replica (answer-jobs.ts), so the Bot Service's ~15 s turn budget never runs out and a
// replica that stops or crashes leaves the answer to another.

export interface NavigatorBotOptions {
  navigator: Navigator;
  /** Feedback, what each sent message answered, the conversation references and the jobs' send keys. */
  store: Pick<NavigatorStore, 'feedback' | 'teams' | 'jobs'>;
  jobs: DurableJobs;
  /** Sends answers from jobs and streams (proactive turns). */
  delivery: TeamsAnswerDelivery;
  log: ChannelContext['log'];
  /** The ask limits (ask-limits.ts) a question counts against, checked as its job is stored. */
  askLimits?: (asker: Asker) => RateLimit[];
  /** The settings of team channels (the settings card, defaults, off). */
  settings: TeamsChannelSettings;
  /** Answers a command typed to the bot (digest subscriptions); false when the text is a question. */
  commands?(context: TurnContext, text: string): Promise<boolean>;
  /** The pause between streamed updates in personal chats (default 1.5 s, Teams' recommended pace). */
  streamIntervalMs?: number;
  /** "Ask a curator" (NAVIGATOR_CURATOR_CHANNEL_TEAMS): the hand-off and the curator's relayed reply. */
  curators?: TeamsCuratorHandOff;
  /** How long a streamed question's job waits before it answers a stream that never finished. */
  streamHoldMs?: number;
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
        answer: sent?.answer,
      });
      if (feedback.rating === 'not_helpful' && feedback.comment)
        await this.options.curators?.noteNotHelpful(context);
    }
    // Teams wants a bare 200 (a body is an error) and shows its own "feedback submitted".
    return { status: 200 };
  }

  /** 👍/👎 on an answer card: recorded, and acknowledged to the presser alone. */
  private async onCardAction(context: TurnContext): Promise<InvokeResponse> {
    const handedOff = await this.options.curators?.onCardAction(context);
    if (handedOff) return handedOff;
    const saved = await this.options.settings.save(context);
    if (saved) return saved;
    const feedback = readCardFeedback(context.activity.value);
    if (!feedback) return unknownAction;
    const sent = await this.options.store.teams.recallSentAnswer(context.activity.replyToId);
    await this.record(context, { ...feedback, answer: sent?.answer });
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
    // A curator's reply in a hand-off thread is for the asker, not a question.
    if (await this.options.curators?.relayReply(context, incoming.text)) return;
    if (await this.options.commands?.(context, incoming.text)) return;
    if (settingsWords.test(incoming.text)) {
      await this.send(context, [await this.options.settings.cardFor(context)]);
      return;
    }
    const settings = await this.options.settings.of(context);
    if (settings.off) return; // the team's owners turned the Navigator off in this channel
    await this.answer(context, incoming.text, settings.defaults);
  }

  /**
   * Stores the question as a job before the turn returns its 200; the job's worker (any replica)
   * answers it proactively. A redelivered activity finds its delivery key taken and is dropped.
   */
  private async answer(context: TurnContext, text: string, defaults?: Question['defaults']): Promise<void> {
    const activity = context.activity;
    const reference = TurnContext.getConversationReference(activity);
    const question: TeamsQuestion = {
      reference,
      activityId: activity.id ?? '',
      text,
      conversationId: conversationKey(activity),
      user: activity.from?.aadObjectId ?? activity.from?.id,
      conversationType: activity.conversation?.conversationType,
      defaults,
    };
    await this.options.store.teams.saveReference(question.conversationId, reference as JsonValue);
    const streams =
      question.conversationType === 'personal' && this.options.navigator.usesLanguageModel && activity.id;
    const place = conversationRoot(activity);
    // A stream must start in the turn; its job waits, and only answers if the stream did not.
    const outcome = await enqueueTeamsAnswer(this.options.jobs, question, {
      holdMs: streams ? this.options.streamHoldMs : undefined,
      limits: this.options.askLimits?.({ channel: 'teams', user: question.user, place }),
    });
    if (outcome.status === 'limited') {
      await this.send(context, [renderNotice(outcome.refusal.message)]);
      return;
    }
    if (outcome.status === 'duplicate') {
      this.options.log('debug', `Teams: ignored a repeated delivery of activity ${activity.id}`);
      return;
    }
    if (streams) await this.streamInChat(context, question, sendKeysFor(outcome, this.options.store.jobs));
  }

  /**
   * Streams the answer in a personal chat while the model writes it. The informative update goes
   * out in this turn; the rest in a proactive one on this replica, so the request returns within the
   * Bot Service's budget. The final message claims the job's send key, so the job, when its hold
   * ends, finds the answer sent; if the stream fails, the answer is sent in one message instead.
   */
  private async streamInChat(context: TurnContext, question: TeamsQuestion, sends: SendKeys): Promise<void> {
    const { delivery, log } = this.options;
    const send: SendActivity = (activity) => withConnectorRetry(() => context.sendActivity(activity));
    let stream: TeamsStream | undefined;
    try {
      stream = await TeamsStream.start(
        send,
        'Searching cases and toolkits…',
        this.options.streamIntervalMs ?? 1_500,
      );
    } catch (error) {
      log('info', 'Teams: could not start a stream; answering in one message', error);
    }
    this.lateAnswers.run('answering a personal chat', async () => {
      if (stream)
        try {
          await this.streamThrough(stream, question, sends);
          return;
        } catch (error) {
          log('warn', 'Teams: streaming an answer failed; answering in one message', error);
        }
      // If this fails as well, the stored job answers once its hold ends.
      await delivery.answer(question, sends);
    });
  }

  private async streamThrough(stream: TeamsStream, question: TeamsQuestion, sends: SendKeys): Promise<void> {
    const { delivery, navigator } = this.options;
    await delivery.proactively(question, async (proactive) => {
      stream.sendThrough((activity) => withConnectorRetry(() => proactive.sendActivity(activity)));
      for await (const event of askStreaming(navigator, toQuestion(question))) {
        if (event.type === 'text') stream.append(event.text);
        else if (event.type === 'restart') stream.freeze();
        else {
          if (!(await sends.claim('answer'))) return; // the job answered meanwhile
          const messages = delivery.render(question, event.answer);
          let ids: string[];
          try {
            ids = await stream.finish(messages);
          } catch (error) {
            await sends.release('answer');
            throw error;
          }
          await sends.confirm('answer', { ids, streamed: true });
          await delivery.rememberSent(ids, question, event.answer);
        }
      }
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
