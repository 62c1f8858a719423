import type { SlashCommand, webApi } from '@slack/bolt';
import { digestHeadline, typeName, type KnowledgeDigest } from '../../src/index.js';
import type { ChannelContext } from '../channel.js';
import { readDigestCommand, runDigestCommand } from '../digest-commands.js';
import { registerDigestJobs } from '../digest-jobs.js';
import { defuseMassMentions, escapeMrkdwn, mrkdwnLink } from './mrkdwn.js';

// Knowledge digests in Slack: `/navigator subscribe weekly|monthly` and `/navigator unsubscribe`
// in a channel, and the digest itself posted there with chat.postMessage (the bot must be a member).

/** A subscription's key: the Slack channel (or DM) id. */
export const slackDigestKey = (channelId: string) => `slack:${channelId}`;

/** The ephemeral reply to a digest command, or undefined when the text is a question. */
export async function answerDigestCommand(
  context: ChannelContext,
  command: Pick<SlashCommand, 'channel_id' | 'user_id'>,
  text: string,
): Promise<{ response_type: 'ephemeral'; text: string } | undefined> {
  const digestCommand = readDigestCommand(text);
  if (!digestCommand) return undefined;
  const reply = await runDigestCommand(context.store, context.config.knowledgeDir, {
    channelKey: slackDigestKey(command.channel_id),
    command: digestCommand,
    user: command.user_id,
    unsubscribeHint: '`/navigator unsubscribe`',
  });
  const invite =
    digestCommand.action === 'subscribe' && !command.channel_id.startsWith('D')
      ? ' The digest is posted by the app: invite it to this channel if it is not a member yet.'
      : '';
  return { response_type: 'ephemeral', text: `${reply}${invite}` };
}

/** The digest as one message: the headline, then one line per entry with its own link. */
export function renderDigestMessage(digest: KnowledgeDigest): { text: string; blocks: unknown[] } {
  const headline = digestHeadline(digest);
  const lines = digest.items.map((item) => {
    const change = item.change === 'added' ? 'new' : 'changed';
    const line = defuseMassMentions(escapeMrkdwn(item.line));
    return `• *${mrkdwnLink(item.url, item.title)}* (${typeName(item.type)}, ${change}) — ${line}`;
  });
  if (digest.moreCount > 0) lines.push(`…and ${digest.moreCount} more: ask me about a topic to find them.`);
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(headline) } }];
  for (const text of packLines(lines, sectionTextLimit))
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  return { text: headline, blocks };
}

/** A section's text may hold 3,000 characters. */
const sectionTextLimit = 3_000;

/** Whole lines, as few texts as fit the limit (a line is short: a title, a link and one sentence). */
function packLines(lines: string[], limit: number): string[] {
  const texts: string[] = [];
  for (const line of lines) {
    const last = texts.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= limit)
      texts[texts.length - 1] = `${last}\n${line}`;
    else texts.push(line.slice(0, limit));
  }
  return texts;
}

/** Lets this replica post Slack digests with `client` (the bot token's). */
export function registerSlackDigestJobs(context: ChannelContext, client: webApi.WebClient): void {
  registerDigestJobs(context, 'slack', async (channelKey, digest) => {
    const { text, blocks } = renderDigestMessage(digest);
    const posted = await client.chat.postMessage({
      channel: channelKey.slice('slack:'.length),
      text,
      blocks: blocks as never,
      unfurl_links: false,
      unfurl_media: false,
    });
    return { ts: posted.ts ?? null };
  });
}
