/**
 * A user's Slack message as the plain question the Navigator reads: the bot's own mention removed,
 * other mentions, channel links and URLs written out, entities decoded.
 */
export function questionFromSlackText(text: string | undefined, botUserId?: string): string {
  let question = text ?? '';
  if (botUserId) question = question.replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g'), ' ');
  // Without the bot's id, an app_mention still starts with the mention that triggered it.
  else question = question.replace(/^\s*<@[A-Z0-9]+(?:\|[^>]*)?>/, ' ');
  return question
    .replace(/<@[A-Z0-9]+\|([^>]+)>/g, '@$1')
    .replace(/<@[A-Z0-9]+>/g, '@someone')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<#[A-Z0-9]+>/g, '#channel')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]+))?>/g, (_match, label?: string) => label ?? '@group')
    .replace(/<!([a-z]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** Whether a message mentions the bot (how a channel message addressed to it is recognised). */
export function mentionsUser(text: string | undefined, userId: string | undefined): boolean {
  return Boolean(text && userId && new RegExp(`<@${userId}(?:\\|[^>]*)?>`).test(text));
}
