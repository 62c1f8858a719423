import type { App, BlockAction, types, webApi } from '@slack/bolt';
import { z } from 'zod';
import type { ChannelContext } from '../channel.js';
import {
  askerNotice,
  curatorReplyText,
  handOffLines,
  registerFeedbackNotices,
  scheduleFeedbackNotice,
  type HandOffRequest,
} from '../curator-hand-off.js';
import { sendKeysFor } from '../durable-jobs.js';
import { conversationIdFor } from './answer-delivery.js';
import { blockKitLimits } from './block-kit-limits.js';
import { actionIds } from './interaction-ids.js';
import { escapeMrkdwn, truncatePlain } from './mrkdwn.js';

// "Ask a curator" in Slack. The click is stored as a hand-off and a job before Slack gets its 200;
// the job posts the question, the answer and a permalink to the asker's thread in the curator
// channel, once. A reply in that post's thread (a message event with thread_ts: the bot must be in
// the channel, with message.channels or message.groups) is stored as a job keyed by its ts and
// relayed to the asker's thread once, marked as a person's words.

const handOffKind = 'slack_curator_hand_off';
const replyKind = 'slack_curator_reply';

const buttonValueSchema = z.object({ q: z.string(), c: z.string().optional() });

const handOffJobSchema = z.object({
  handOffId: z.string(),
  question: z.string(),
  answer: z.string(),
  asker: z.string().optional(),
  channel: z.string(),
  threadTs: z.string(),
});
type HandOffJob = z.infer<typeof handOffJobSchema>;

const replyJobSchema = z.object({
  handOffId: z.string(),
  channel: z.string(),
  threadTs: z.string(),
  text: z.string(),
});

const curatorMessageSchema = z.object({
  channel: z.string(),
  ts: z.string(),
  thread_ts: z.string().optional(),
  text: z.string().optional(),
  user: z.string().optional(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
});

const answerSectionSchema = z.object({
  type: z.literal('section'),
  expand: z.literal(true),
  text: z.object({ text: z.string() }),
});

/** A rendered answer's text, read back from the clicked message: its answer sections, else its text. */
function answerFromMessage(message: { text?: string; blocks?: unknown } | undefined): string {
  const sections = z
    .array(z.unknown())
    .catch([])
    .parse(message?.blocks)
    .map((block) => answerSectionSchema.safeParse(block).data?.text.text)
    .filter((text): text is string => Boolean(text));
  return sections.length > 0 ? sections.join('\n') : (message?.text ?? '');
}

function curatorPost(request: HandOffRequest): { text: string; blocks: types.KnownBlock[] } {
  const lines = handOffLines(request);
  const section = (text: string): types.SectionBlock => ({
    type: 'section',
    text: { type: 'mrkdwn', text: truncatePlain(text, blockKitLimits.sectionText) },
  });
  const blocks: types.KnownBlock[] = [
    section(`:raising_hand: ${lines.heading}`),
    section(`*Question*\n${escapeMrkdwn(lines.question)}`),
    section(`*The Navigator's answer*\n${lines.answer}`),
  ];
  if (request.link)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `<${request.link}|Open the asker's thread>` }],
    });
  return { text: `${lines.heading}\nQuestion: ${lines.question}`.slice(0, 3_000), blocks };
}

/** A 👎 with a comment: the curator channel hears of it in the period's notice. */
export async function noteNotHelpfulComment(context: ChannelContext): Promise<void> {
  if (context.config.curators.slackChannel) await scheduleFeedbackNotice(context, 'slack');
}

/** Registers the button, the curator-thread listener and the jobs that post and relay. */
export function registerCuratorHandOff(app: App, context: ChannelContext, client: webApi.WebClient): void {
  const curatorChannel = context.config.curators.slackChannel;
  registerFeedbackNotices(context, 'slack', async (text) => {
    if (curatorChannel) await client.chat.postMessage({ channel: curatorChannel, text });
  });
  if (!curatorChannel) return;
  const { handOffs } = context.store;

  app.action<BlockAction>(actionIds.askCurator, async ({ ack, action, body }) => {
    const value = buttonValueSchema.safeParse(parseJson('value' in action ? action.value : undefined));
    const channel = body.channel?.id;
    const messageTs = body.message?.ts;
    if (!value.success || !channel || !messageTs) {
      await ack();
      context.log('warn', 'slack: an "Ask a curator" click carried no readable value');
      return;
    }
    const threadTs = (body.message?.thread_ts as string | undefined) ?? messageTs;
    // One hand-off per answer and asker, however often the button is pressed or the click retried.
    const fresh = await context.store.deliveryKeys.claim(
      [`slack:hand-off:${channel}:${messageTs}:${body.user.id}`],
      { ttlMs: 30 * 24 * 60 * 60 * 1000 },
    );
    if (fresh) {
      const request: HandOffRequest = {
        question: value.data.q,
        answer: answerFromMessage(body.message),
        asker: `<@${body.user.id}>`,
      };
      const handOff = await handOffs.create({
        channel: 'slack',
        sourceConversation: value.data.c ?? conversationIdFor(channel, threadTs),
        payload: { ...request, slack: { channel, threadTs } },
      });
      const job: HandOffJob = { handOffId: handOff.handOffId, ...request, channel, threadTs };
      await context.jobs.enqueue({ kind: handOffKind, payload: job, maxAttempts: 5 });
    }
    await ack();
  });

  context.jobs.register(handOffKind, {
    run: async (job) => {
      const handOff = handOffJobSchema.parse(job.payload);
      const sends = sendKeysFor(job, context.store.jobs);
      if (await sends.claim('curator-post')) {
        const link = await permalink(client, handOff.channel, handOff.threadTs, context);
        let ts: string | undefined;
        try {
          const posted = await client.chat.postMessage({
            channel: curatorChannel,
            ...curatorPost({ ...handOff, link }),
            unfurl_links: false,
          });
          ts = posted.ts;
        } catch (error) {
          await sends.release('curator-post'); // nothing was posted: a retry may post it
          throw error;
        }
        if (ts)
          await handOffs.attachCuratorConversation(handOff.handOffId, conversationIdFor(curatorChannel, ts));
        await sends.confirm('curator-post', { ts: ts ?? null });
      }
      if (await sends.claim('asker-notice')) {
        await client.chat.postMessage({
          channel: handOff.channel,
          thread_ts: handOff.threadTs,
          text: askerNotice,
        });
        await sends.confirm('asker-notice');
      }
    },
    onDead: async (_job, error) =>
      context.log('error', 'slack: could not hand a question to the curators', error),
  });

  // A curator answering in the hand-off's thread; every other message is left to the other listeners.
  app.message(async ({ message: raw }) => {
    const parsed = curatorMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
    const written = message.subtype === undefined || message.subtype === 'thread_broadcast';
    if (message.channel !== curatorChannel || !isReply || !written || message.bot_id || !message.text) return;
    const handOff = await handOffs.findByCuratorConversation(
      conversationIdFor(message.channel, message.thread_ts!),
    );
    const source = z
      .object({ slack: z.object({ channel: z.string(), threadTs: z.string() }) })
      .safeParse(handOff?.payload);
    if (!handOff || !source.success) return;
    const stored = await context.jobs.enqueue({
      kind: replyKind,
      payload: { handOffId: handOff.handOffId, ...source.data.slack, text: message.text },
      // Slack's retries of this event carry the same channel and ts: relayed once.
      deliveryKeys: [`slack:curator-reply:${message.channel}:${message.ts}`],
      maxAttempts: 5,
    });
    if (stored.status === 'duplicate') context.log('debug', 'slack: a curator reply was delivered again');
  });

  context.jobs.register(replyKind, {
    run: async (job) => {
      const reply = replyJobSchema.parse(job.payload);
      const sends = sendKeysFor(job, context.store.jobs);
      if (await sends.claim('relay')) {
        try {
          await client.chat.postMessage({
            channel: reply.channel,
            thread_ts: reply.threadTs,
            text: curatorReplyText(reply.text),
          });
        } catch (error) {
          await sends.release('relay');
          throw error;
        }
        await sends.confirm('relay');
      }
      await handOffs.setStatus(reply.handOffId, 'answered');
    },
    onDead: async (_job, error) => context.log('error', "slack: could not relay a curator's reply", error),
  });
}

async function permalink(
  client: webApi.WebClient,
  channel: string,
  messageTs: string,
  context: ChannelContext,
): Promise<string | undefined> {
  try {
    return (await client.chat.getPermalink({ channel, message_ts: messageTs })).permalink;
  } catch (error) {
    context.log('info', "slack: no permalink for the asker's thread", error);
    return undefined;
  }
}

function parseJson(value: string | undefined): unknown {
  try {
    return value ? JSON.parse(value) : undefined;
  } catch {
    return undefined;
  }
}
