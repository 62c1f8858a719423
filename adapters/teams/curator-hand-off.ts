import {
  TurnContext,
  type Activity,
  type Attachment,
  type ConversationReference,
  type InvokeResponse,
} from 'botbuilder';
import { z } from 'zod';
import type { Answer, ClaimedJob, JsonValue } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import { sendKeysFor } from '../durable-jobs.js';
import {
  askerNotice,
  curatorReplyText,
  handOffLines,
  handOffRequestSchema,
  registerFeedbackNotices,
  scheduleFeedbackNotice,
  type HandOffRequest,
} from '../curator-hand-off.js';
import { privateNote } from './card-feedback.js';
import { truncate } from './card-markdown.js';
import { conversationKey } from './incoming-activity.js';
import { adaptiveCardContentType, adaptiveCardSchema, type CardElement } from './render-card.js';
import { renderNotice } from './render-text-reply.js';

// "Ask a curator" in Teams. The button is an Action.Execute whose invoke posts the question and
// answer as a new thread in the curator channel (a proactive message with continueConversationAsync),
// and keeps the asker's conversation reference. Teams delivers a channel reply to the bot only when
// it mentions the bot: such a reply in a hand-off's thread (conversation id "<channel>;messageid=<root>")
// is relayed to the asker once, as a plain message without the AI label.

export const curatorVerb = 'navigator.askCurator';

const curatorActionSchema = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.literal(curatorVerb),
    data: z.object({
      action: z.literal(curatorVerb),
      question: z.string().max(4_000),
      answer: z.string().max(4_000),
    }),
  }),
});

const teamsSourceSchema = z.object({ teams: z.object({ conversationKey: z.string() }) });
/** How to reach the curator channel later, from a job: the service URL, the tenant and the bot. */
const whereSchema = z.object({
  serviceUrl: z.string(),
  tenantId: z.string().nullish(),
  bot: z.object({ id: z.string(), name: z.string().nullish() }),
});
type Where = z.infer<typeof whereSchema>;

const handOffKind = 'teams_curator_hand_off';
const replyKind = 'teams_curator_reply';
const replyJobSchema = z.object({ handOffId: z.string(), conversationKey: z.string(), text: z.string() });
const handOffJobSchema = z.object({
  handOffId: z.string(),
  request: handOffRequestSchema,
  where: whereSchema,
});

const whereFrom = (activity: Activity) => ({
  serviceUrl: activity.serviceUrl,
  tenantId: activity.conversation?.tenantId ?? null,
  bot: { id: activity.recipient.id, name: activity.recipient.name ?? null },
});
const fromWhere = (where: Where) => ({
  serviceUrl: where.serviceUrl,
  recipient: { id: where.bot.id, name: where.bot.name ?? '' },
  conversation: { id: '', tenantId: where.tenantId ?? undefined } as Activity['conversation'],
});

type Continue = (
  reference: Partial<ConversationReference>,
  logic: (context: TurnContext) => Promise<void>,
) => Promise<void>;

/** The "Ask a curator" action; it carries the answer because Teams sends back only the data. */
function curatorAction(question: string, answer: Answer): CardElement {
  return {
    type: 'Action.Execute',
    verb: curatorVerb,
    title: '🙋 Ask a curator',
    data: { action: curatorVerb, question: truncate(question, 1_000), answer: truncate(answer.text, 1_500) },
  };
}

/** A card holding only the button, for an answer sent as text. */
function buttonCard(action: CardElement): Attachment {
  return {
    contentType: adaptiveCardContentType,
    content: {
      type: 'AdaptiveCard',
      $schema: adaptiveCardSchema,
      version: '1.5',
      body: [],
      actions: [action],
    },
  };
}

export class TeamsCuratorHandOff {
  constructor(
    private readonly context: ChannelContext,
    private readonly curatorChannel: string | undefined,
    private readonly continueConversation: Continue,
  ) {
    registerFeedbackNotices(context, 'teams', (text, detail) => this.postNotice(text, detail));
    context.jobs.register(handOffKind, {
      run: (job) => this.postHandOff(job),
      onDead: async (_job, error) =>
        context.log('error', 'Teams: could not hand a question to the curators', error),
    });
    context.jobs.register(replyKind, {
      run: (job) => this.relayToAsker(job),
      onDead: async (_job, error) => context.log('error', "Teams: could not relay a curator's reply", error),
    });
  }

  /** Adds the button to the answer's last message (its card, or a small card of its own). */
  withButton(messages: Partial<Activity>[], question: string, answer: Answer): Partial<Activity>[] {
    const last = messages.at(-1);
    if (!this.curatorChannel || !last) return messages;
    const action = curatorAction(question, answer);
    const card = last.attachments?.find((attachment) => attachment.contentType === adaptiveCardContentType);
    const content = card?.content as { actions?: CardElement[] } | undefined;
    const withAction: Partial<Activity> = content
      ? {
          ...last,
          attachments: last.attachments!.map((attachment) =>
            attachment === card
              ? { ...card, content: { ...content, actions: [...(content.actions ?? []), action] } }
              : attachment,
          ),
        }
      : { ...last, attachments: [...(last.attachments ?? []), buttonCard(action)] };
    return [...messages.slice(0, -1), withAction];
  }

  /** The invoke of the button, or undefined when the action is not "Ask a curator". */
  async onCardAction(turn: TurnContext): Promise<InvokeResponse | undefined> {
    const parsed = curatorActionSchema.safeParse(turn.activity.value);
    if (!parsed.success || !this.curatorChannel) return undefined;
    const activity = turn.activity;
    const key = conversationKey(activity);
    const asker = activity.from?.aadObjectId ?? activity.from?.id ?? 'unknown';
    const fresh = await this.context.store.deliveryKeys.claim(
      [`teams:hand-off:${activity.replyToId ?? activity.id}:${asker}`],
      { ttlMs: 30 * 24 * 60 * 60 * 1000 },
    );
    if (!fresh) return privateNote('This question is already with a curator.');
    await this.context.store.teams.saveReference(
      key,
      TurnContext.getConversationReference(activity) as JsonValue,
    );
    const { question, answer } = parsed.data.action.data;
    const request: HandOffRequest = { question, answer, asker: activity.from?.name };
    const handOff = await this.context.store.handOffs.create({
      channel: 'teams',
      sourceConversation: key,
      payload: { ...request, teams: { conversationKey: key } },
    });
    // Posted by a job, so a connector failure is retried with backoff, once, by any replica.
    const job = { handOffId: handOff.handOffId, request, where: whereFrom(activity) };
    await this.context.jobs.enqueue({ kind: handOffKind, payload: job, maxAttempts: 5 });
    return privateNote(askerNotice);
  }

  /** A curator's mention in a hand-off thread, relayed to the asker; false for any other message. */
  async relayReply(turn: TurnContext, text: string): Promise<boolean> {
    const activity = turn.activity;
    if (!this.curatorChannel || !activity.conversation?.id?.startsWith(`${this.curatorChannel};`))
      return false;
    const handOff = await this.context.store.handOffs.findByCuratorConversation(conversationKey(activity));
    const source = teamsSourceSchema.safeParse(handOff?.payload);
    if (!handOff || !source.success) return false;
    // Stored as a job before the 200: Teams delivering the activity again finds its key taken.
    const stored = await this.context.jobs.enqueue({
      kind: replyKind,
      payload: { handOffId: handOff.handOffId, conversationKey: source.data.teams.conversationKey, text },
      deliveryKeys: [`teams:curator-reply:${activity.id}`],
      maxAttempts: 5,
    });
    if (stored.status === 'enqueued')
      await turn.sendActivity(renderNotice('Sent to the asker, marked as from a curator.'));
    return true;
  }

  private async relayToAsker(job: ClaimedJob): Promise<void> {
    const reply = replyJobSchema.parse(job.payload);
    const reference = await this.context.store.teams.getReference(reply.conversationKey);
    if (!reference) {
      this.context.log('warn', "Teams: a hand-off's asker has no stored conversation reference");
      return;
    }
    const sends = sendKeysFor(job, this.context.store.jobs);
    if (await sends.claim('relay')) {
      try {
        await this.continueConversation(reference as Partial<ConversationReference>, async (proactive) => {
          await proactive.sendActivity(renderNotice(curatorReplyText(reply.text)));
        });
      } catch (error) {
        await sends.release('relay'); // nothing was sent: a retry may send it
        throw error;
      }
      await sends.confirm('relay');
    }
    await this.context.store.handOffs.setStatus(reply.handOffId, 'answered');
  }

  /** Schedules the batched 👎 notice; the activity says how to reach the curator channel later. */
  async noteNotHelpful(turn: TurnContext): Promise<void> {
    if (!this.curatorChannel) return;
    await scheduleFeedbackNotice(this.context, 'teams', whereFrom(turn.activity));
  }

  private async postHandOff(job: ClaimedJob): Promise<void> {
    const { handOffId, request, where } = handOffJobSchema.parse(job.payload);
    const sends = sendKeysFor(job, this.context.store.jobs);
    if (!(await sends.claim('curator-post'))) return;
    let rootId: string | undefined;
    try {
      rootId = await this.postToCurators(fromWhere(where), [renderHandOffCard(request)]);
    } catch (error) {
      await sends.release('curator-post'); // nothing was posted: a retry may post it
      throw error;
    }
    if (rootId)
      await this.context.store.handOffs.attachCuratorConversation(
        handOffId,
        `teams:${this.curatorChannel};messageid=${rootId}`,
      );
    await sends.confirm('curator-post', { id: rootId ?? null });
  }

  /** Posts a new thread in the curator channel; returns its root message id. */
  private async postToCurators(
    from: Pick<Activity, 'serviceUrl' | 'recipient' | 'conversation'>,
    activities: Partial<Activity>[],
  ): Promise<string | undefined> {
    let rootId: string | undefined;
    await this.continueConversation(
      {
        channelId: 'msteams',
        serviceUrl: from.serviceUrl,
        bot: from.recipient,
        conversation: {
          id: this.curatorChannel!,
          isGroup: true,
          conversationType: 'channel',
          tenantId: from.conversation?.tenantId,
          name: 'curators',
        },
      },
      async (proactive) => {
        for (const activity of activities) {
          const response = await proactive.sendActivity(activity);
          rootId = rootId ?? response?.id;
        }
      },
    );
    return rootId;
  }

  private async postNotice(text: string, detail: JsonValue | undefined): Promise<void> {
    await this.postToCurators(fromWhere(whereSchema.parse(detail)), [renderNotice(text)]);
  }
}

/** The curator-channel post: who asked, the question, the answer, and how to reply. */
function renderHandOffCard(request: HandOffRequest): Partial<Activity> {
  const lines = handOffLines(request);
  const text = (value: string, extra: Record<string, unknown> = {}): CardElement => ({
    type: 'TextBlock',
    text: value,
    wrap: true,
    ...extra,
  });
  return {
    type: 'message',
    text: `${lines.heading} Question: ${truncate(lines.question, 300)}`,
    attachments: [
      {
        contentType: adaptiveCardContentType,
        content: {
          type: 'AdaptiveCard',
          $schema: adaptiveCardSchema,
          version: '1.5',
          body: [
            text(lines.heading, { weight: 'bolder' }),
            text('Question', { weight: 'bolder', spacing: 'medium' }),
            text(lines.question),
            text("The Navigator's answer", { weight: 'bolder', spacing: 'medium' }),
            text(lines.answer),
            text('Mention the bot in your reply: Teams shows it only messages that mention it.', {
              isSubtle: true,
              size: 'small',
            }),
          ],
        },
      },
    ],
  };
}
