import {
  TurnContext,
  type Activity,
  type ConversationParameters,
  type ConversationReference,
} from 'botbuilder';
import { digestHeadline, typeName, type JsonValue, type KnowledgeDigest } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import { readDigestCommand, runDigestCommand } from '../digest-commands.js';
import { registerDigestJobs } from '../digest-jobs.js';
import { withConnectorRetry } from './connector-retry.js';
import { conversationRoot } from './incoming-activity.js';
import { renderNotice } from './render-text-reply.js';

// Knowledge digests in Teams: "subscribe weekly|monthly" or "unsubscribe" in a message to the bot
// (mentioned, in a channel or group chat), and the digest posted proactively where it was asked: a
// new post in a channel (botbuilder's createConversation, as TeamsInfo.sendMessageToTeamsChannel
// does), a new message in a chat (continueConversation on the stored reference).

type Logic = (context: TurnContext) => Promise<void>;

/** The two proactive sends of botbuilder's CloudAdapter that a digest needs. */
export interface TeamsProactive {
  continueConversation(reference: Partial<ConversationReference>, logic: Logic): Promise<void>;
  createConversation(serviceUrl: string, parameters: ConversationParameters, logic: Logic): Promise<void>;
}

/** A subscription's key: the chat, or the channel itself (not the thread the command was sent in). */
export function teamsDigestKey(activity: Partial<Activity>): string {
  return `teams:${conversationRoot(activity)}`;
}

/** The reference a digest is posted with: the conversation's root, replying to nothing. */
function digestReference(activity: Partial<Activity>): Partial<ConversationReference> {
  const reference = TurnContext.getConversationReference(activity);
  delete reference.activityId;
  return {
    ...reference,
    conversation: { ...reference.conversation!, id: teamsDigestKey(activity).slice('teams:'.length) },
  };
}

/**
 * Answers a digest command in this turn; false when `text` is a question. The conversation
 * reference is kept under the subscription's key, so that any replica can post the digest later.
 */
export async function answerTeamsDigestCommand(
  context: ChannelContext,
  turn: TurnContext,
  text: string,
): Promise<boolean> {
  const command = readDigestCommand(text);
  if (!command) return false;
  const channelKey = teamsDigestKey(turn.activity);
  if (command.action === 'subscribe')
    await context.store.teams.saveReference(
      channelKey,
      JSON.parse(JSON.stringify(digestReference(turn.activity))) as JsonValue,
    );
  const reply = await runDigestCommand(context.store, context.config.knowledgeDir, {
    channelKey,
    command,
    user: turn.activity.from?.aadObjectId ?? turn.activity.from?.id,
    unsubscribeHint: '"unsubscribe"',
  });
  await withConnectorRetry(() => turn.sendActivity(renderNotice(reply)));
  return true;
}

/** The digest as one Markdown message: the headline, then a line per entry with its own link. */
export function renderDigestMarkdown(digest: KnowledgeDigest): Partial<Activity> {
  const lines = digest.items.map((item) => {
    const title = item.title.replace(/[[\]]/g, '');
    const link = item.url ? `[${title}](${item.url})` : title;
    const change = item.change === 'added' ? 'new' : 'changed';
    return `- **${link}** (${typeName(item.type)}, ${change}): ${item.line}`;
  });
  if (digest.moreCount > 0) lines.push(`- …and ${digest.moreCount} more: ask me about a topic to find them.`);
  const text = [digestHeadline(digest), ...(lines.length > 0 ? ['', ...lines] : [])].join('\n');
  return { type: 'message', text, textFormat: 'markdown' };
}

/** Lets this replica post Teams digests, to the reference each subscription stored. */
export function registerTeamsDigestJobs(context: ChannelContext, proactive: TeamsProactive): void {
  registerDigestJobs(context, 'teams', async (channelKey, digest): Promise<JsonValue> => {
    const stored = (await context.store.teams.getReference(channelKey)) as
      Partial<ConversationReference> | undefined;
    if (!stored?.serviceUrl || !stored.conversation)
      throw new Error(`no conversation reference is stored for ${channelKey}`);
    const activity = renderDigestMarkdown(digest);
    if (stored.conversation.conversationType === 'channel') {
      let posted: string | undefined;
      await proactive.createConversation(
        stored.serviceUrl,
        {
          isGroup: true,
          channelData: { channel: { id: stored.conversation.id } },
          activity: activity as Activity,
          tenantId: stored.conversation.tenantId,
        } as ConversationParameters,
        async (turn) => {
          posted = turn.activity.conversation?.id;
        },
      );
      return { conversationId: posted ?? null };
    }
    let id: string | undefined;
    await proactive.continueConversation(stored, async (turn) => {
      // A new message, not a reply to the continuation event botbuilder makes up.
      turn.onSendActivities(async (_turn, activities, next) => {
        for (const outgoing of activities) delete outgoing.replyToId;
        return next();
      });
      id = (await withConnectorRetry(() => turn.sendActivity(activity)))?.id;
    });
    return { id: id ?? null };
  });
}
