import { maxQuestionCharacters } from '../safety.js';

/** A message as the later stages read it: channel markup gone, whitespace tidy. */
export interface NormalisedMessage {
  /** Plain text, line breaks kept (a pasted portfolio is one project per line). */
  text: string;
  /** Characters of the plain text before any cut; compared with `maxQuestionCharacters`. */
  length: number;
  tooLong: boolean;
}

const namedEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  rsquo: '’',
  lsquo: '‘',
  ldquo: '“',
  rdquo: '”',
  hellip: '…',
  ndash: '–',
  mdash: '—',
};

/** `&amp;`, `&#39;`, `&#x27;` → characters; unknown entities stay as written. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return namedEntities[name.toLowerCase()] ?? whole;
  });
}

// Slack: <@U123>, <@U123|name>, <#C123|general>, <!here>, <!subteam^S1|@team>, <https://x|label>,
// <mailto:…|a>.
const slackUserMention = /<@[UW][A-Z0-9]+(?:\|[^>]*)?>/g;
const slackChannelLink = /<#[CG][A-Z0-9]+(?:\|([^>]*))?>/g;
const slackSpecial = /<!([a-z]+)(?:\^[^|>]*)?(?:\|([^>]*))?>/g;
const slackLink = /<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>/g;
// Teams: <at>PSI Navigator</at>; other HTML tags that reach us from rich text.
const teamsMention = /<at\b[^>]*>.*?<\/at>/gis;
const htmlBreak = /<br\s*\/?>|<\/(?:p|div|li)>/gi;
const htmlTag = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/gi;
// :emoji: and :skin-tone-2: codes; times such as 10:30:00 are left alone by requiring a letter.
const emojiCode = /:[a-z0-9_+-]*[a-z][a-z0-9_+-]*:/gi;

/**
 * Strips what channels add around a person's words. Mentions of the bot and of people carry no
 * topic; a link keeps its label (or its address when it has none); a channel keeps its name.
 */
export function normaliseMessage(raw: string): NormalisedMessage {
  const text = decodeEntities(
    raw
      .replace(teamsMention, ' ')
      .replace(slackUserMention, ' ')
      .replace(slackChannelLink, (_whole, name?: string) => (name ? ` #${name} ` : ' '))
      .replace(slackSpecial, ' ')
      .replace(slackLink, (_whole, url: string, label?: string) => ` ${label || url} `)
      .replace(htmlBreak, '\n')
      .replace(htmlTag, ' '),
  )
    .replace(emojiCode, ' ')
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/[ \t\u00a0]+/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { text, length: text.length, tooLong: text.length > maxQuestionCharacters };
}
