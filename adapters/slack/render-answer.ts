import type { types } from '@slack/bolt';
import type { Answer, Citation, PeerCase, RecommendedMethod, SkillAdvice } from '../../src/index.js';
import { blockKitLimits, messageBudgets } from './block-kit-limits.js';
import { curatorButtonBlock } from './curator-button.js';
import { encodeFeedbackReference } from './feedback-reference.js';
import { actionIds } from './interaction-ids.js';
import {
  escapeMrkdwn,
  markdownToMrkdwn,
  markdownToPlainText,
  mrkdwnLink,
  splitSafely,
  truncatePlain,
  truncateSafely,
} from './mrkdwn.js';

type KnownBlock = types.KnownBlock;
type SectionBlock = types.SectionBlock;
type ContextBlock = types.ContextBlock;

/** `feedback_buttons` where Slack offers them (normal messages), plain 👍/👎 buttons elsewhere. */
export type FeedbackStyle = 'feedback_buttons' | 'buttons' | 'none';

export interface RenderOptions {
  /** The question answered: carried by the feedback buttons. */
  question: string;
  conversationId?: string;
  feedback: FeedbackStyle;
  /** Adds a "Share in channel" button with this value (ephemeral answers). */
  shareValue?: string;
  /** A short line shown above the answer, e.g. the follow-up that was asked. */
  preface?: string;
  /** Adds the "Ask a curator" button (a curator channel is configured). */
  askCurator?: boolean;
}

/** One chat.postMessage payload. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** An answer as blocks: `body` is the answer text, `tail` everything after it (sources, cards, buttons). */
export interface RenderedAnswer {
  fallbackText: string;
  body: KnownBlock[];
  tail: KnownBlock[];
}

const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const aiNote =
  ':sparkles: AI-generated answer from the PSI Navigator knowledge base. ' +
  'Check the sources before you rely on it.';
const degradedNote =
  'The language model was unavailable, so this answer was composed directly from the knowledge base.';

/** Answer → Block Kit: Slack mrkdwn text, sources, cards, follow-ups, feedback and an AI-generated note. */
export function renderAnswerBlocks(answer: Answer, options: RenderOptions): RenderedAnswer {
  const body: KnownBlock[] = [];
  if (options.preface) body.push(contextBlock([`_${escapeMrkdwn(truncatePlain(options.preface, 300))}_`]));
  // `expand` keeps a long answer from collapsing behind "see more".
  for (const piece of splitSafely(markdownToMrkdwn(answer.text), blockKitLimits.sectionText))
    body.push({ ...section(piece), expand: true });

  const tail: KnownBlock[] = [...sourceBlocks(answer.citations)];
  tail.push(...cardBlocks('Peer cases: whom to ask', answer.peerCases.map(peerCard)));
  tail.push(...cardBlocks('Methods and toolkits', answer.recommendedMethods.map(methodCard)));
  tail.push(...cardBlocks('Skills to build', answer.skills.map(skillCard)));
  const followUps = followUpBlock(answer.followUps);
  if (followUps) tail.push(followUps);
  if (options.shareValue) {
    tail.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          style: 'primary',
          action_id: actionIds.share,
          text: { type: 'plain_text', text: 'Share in channel' },
          value: options.shareValue.slice(0, blockKitLimits.buttonValue),
        },
      ],
    });
  }
  const rateable =
    answer.status === 'answered' || answer.status === 'no_match' || answer.status === 'degraded';
  if (rateable && options.feedback !== 'none') tail.push(feedbackBlock(answer, options));
  if (options.askCurator) tail.push(curatorButtonBlock(options.question, options.conversationId));
  // The help text is the core's fixed wording, not generated; everything else is marked.
  if (answer.intent !== 'help')
    tail.push(contextBlock(answer.status === 'degraded' ? [aiNote, degradedNote] : [aiNote]));

  const plain = markdownToPlainText(answer.text);
  return {
    fallbackText: truncatePlain(plain || 'PSI Navigator answer', messageBudgets.fallbackText),
    body,
    tail,
  };
}

/** Answer → one or more messages, each within Slack's block and text limits. */
export function renderAnswer(answer: Answer, options: RenderOptions): SlackMessage[] {
  const rendered = renderAnswerBlocks(answer, options);
  return packMessages([...rendered.body, ...rendered.tail], rendered.fallbackText);
}

/** Sums the text a block shows, the measure Slack's message-size limit applies to. */
export function blockTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + blockTextLength(item), 0);
  if (value && typeof value === 'object') {
    return Object.entries(value).reduce(
      (sum, [key, item]) =>
        sum + (key === 'text' && typeof item === 'string' ? item.length : blockTextLength(item)),
      0,
    );
  }
  return 0;
}

/** Packs blocks, in order, into messages of at most 50 blocks and the per-message text budget. */
export function packMessages(blocks: KnownBlock[], fallbackText: string): SlackMessage[] {
  const groups: KnownBlock[][] = [[]];
  let textLength = 0;
  for (const block of blocks) {
    const length = blockTextLength(block);
    const current = groups.at(-1)!;
    if (
      current.length > 0 &&
      (current.length >= blockKitLimits.blocksPerMessage ||
        textLength + length > messageBudgets.textPerMessage)
    ) {
      groups.push([block]);
      textLength = length;
    } else {
      current.push(block);
      textLength += length;
    }
  }
  return groups.map((group, index) => ({
    text:
      index === 0 ? fallbackText : `PSI Navigator answer, continued (part ${index + 1} of ${groups.length})`,
    blocks: group,
  }));
}

function contextBlock(texts: string[]): ContextBlock {
  return { type: 'context', elements: texts.map((text) => ({ type: 'mrkdwn', text })) };
}

/** "Sources: [1] <url|Title> · [2] …", packed into context blocks of at most 10 elements. */
function sourceBlocks(citations: Citation[]): ContextBlock[] {
  if (citations.length === 0) return [];
  const entries = citations.map(
    (citation, index) => `[${index + 1}] ${mrkdwnLink(citation.url, truncatePlain(citation.title, 90))}`,
  );
  const elements = ['*Sources*'];
  for (const entry of entries) {
    const last = elements.length > 1 ? elements.at(-1)! : undefined;
    if (last !== undefined && last.length + entry.length + 5 <= 1_500)
      elements[elements.length - 1] = `${last}  ·  ${entry}`;
    else elements.push(entry);
  }
  const blocks: ContextBlock[] = [];
  for (let start = 0; start < elements.length; start += blockKitLimits.contextElements) {
    blocks.push(contextBlock(elements.slice(start, start + blockKitLimits.contextElements)));
  }
  return blocks;
}

function cardBlocks(heading: string, cards: string[]): SectionBlock[] {
  return cards.length === 0 ? [] : [section(`*${heading}*`), ...cards.map(section)];
}

const reasonLine = (reason: string) =>
  truncateSafely(markdownToMrkdwn(reason.replace(/\s+/g, ' ').trim()), messageBudgets.cardReason);
const titleLine = (url: string | undefined, title: string) =>
  `*${mrkdwnLink(url, truncatePlain(title, 150))}*`;

function peerCard(peer: PeerCase): string {
  const place = [
    peer.country,
    peer.level ? `${peer.level} level` : undefined,
    peer.year ? String(peer.year) : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  const who = peer.organisation ? `${place ? ' — ' : ''}${truncatePlain(peer.organisation, 200)}` : '';
  const details = place || who ? `\n${escapeMrkdwn(`${place}${who}`)}` : '';
  return `${titleLine(peer.url, peer.title)}${details}\n${reasonLine(peer.reason)}`;
}

function methodCard(method: RecommendedMethod): string {
  const publisher = method.publisher ? ` · ${escapeMrkdwn(truncatePlain(method.publisher, 120))}` : '';
  return `${titleLine(method.url, method.title)}${publisher}\n${reasonLine(method.reason)}`;
}

function skillCard(skill: SkillAdvice): string {
  const toolkits = skill.toolkits
    .slice(0, 3)
    .map((toolkit) => mrkdwnLink(toolkit.url, truncatePlain(toolkit.title, 90)));
  const startWith = toolkits.length > 0 ? `\nStart with: ${toolkits.join(', ')}` : '';
  return `${titleLine(skill.url, skill.title)}\n${reasonLine(skill.reason)}${startWith}`;
}

function followUpBlock(followUps: string[]): types.ActionsBlock | undefined {
  const buttons = followUps
    .map((question) => question.trim())
    .filter((question) => question.length > 0 && question.length <= blockKitLimits.buttonValue)
    .slice(0, messageBudgets.followUpButtons)
    .map((question, index): types.Button => ({
      type: 'button',
      action_id: `${actionIds.followUpPrefix}${index}`,
      text: { type: 'plain_text', text: truncatePlain(question, blockKitLimits.buttonText) },
      value: question,
    }));
  return buttons.length > 0 ? { type: 'actions', elements: buttons } : undefined;
}

function feedbackBlock(answer: Answer, options: RenderOptions): KnownBlock {
  const reference = {
    conversationId: options.conversationId,
    question: options.question,
    citedIds: answer.citations.map((citation) => citation.id),
  };
  const helpful = encodeFeedbackReference({ ...reference, rating: 'helpful' });
  const notHelpful = encodeFeedbackReference({ ...reference, rating: 'not_helpful' });
  if (options.feedback === 'feedback_buttons') {
    return {
      type: 'context_actions',
      elements: [
        {
          type: 'feedback_buttons',
          action_id: actionIds.feedback,
          positive_button: {
            text: { type: 'plain_text', text: '👍' },
            accessibility_label: 'This answer was helpful',
            value: helpful,
          },
          negative_button: {
            text: { type: 'plain_text', text: '👎' },
            accessibility_label: 'This answer was not helpful',
            value: notHelpful,
          },
        },
      ],
    };
  }
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: actionIds.feedbackHelpful,
        text: { type: 'plain_text', text: '👍 Helpful' },
        value: helpful,
      },
      {
        type: 'button',
        action_id: actionIds.feedbackNotHelpful,
        text: { type: 'plain_text', text: '👎 Not helpful' },
        value: notHelpful,
      },
    ],
  };
}
