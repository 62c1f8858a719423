import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFeedbackReference } from '../../../adapters/slack/feedback-reference.js';
import { markdownToMrkdwn, splitSafely } from '../../../adapters/slack/mrkdwn.js';
import { blockTextLength, renderAnswer, type RenderOptions } from '../../../adapters/slack/render-answer.js';
import type { Answer } from '../../../src/index.js';
import { blockKitProblems } from './support/block-kit-validator.js';
import { longAnswer } from './support/long-answer.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const readFixture = (name: string) => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));

describe('rendering an Answer as Block Kit', () => {
  it(
    'reproduces the fixture: a peer-cases answer with sources, cards, follow-ups, ' +
      'feedback and the AI note',
    () => {
      const answer = readFixture('peer-cases-answer.json') as Answer;
      const { options, messages } = readFixture('peer-cases-answer.slack.json') as {
        options: RenderOptions;
        messages: unknown;
      };
      const rendered = renderAnswer(answer, options);
      expect(rendered).toEqual(messages);
      expect(rendered).toHaveLength(1);
      const blocks = rendered[0]!.blocks;
      expect(blockKitProblems(rendered[0]!)).toEqual([]);
      expect(blocks.map((block) => block.type)).toEqual([
        'section',
        'context',
        'section',
        'section',
        'section',
        'section',
        'section',
        'section',
        'section',
        'section',
        'section',
        'section',
        'actions',
        'context_actions',
        'context',
      ]);
      const feedback = blocks.find((block) => block.type === 'context_actions') as any;
      expect(decodeFeedbackReference(feedback.elements[0].negative_button.value)).toMatchObject({
        rating: 'not_helpful',
        question: options.question,
        citedIds: answer.citations.map((citation) => citation.id),
      });
    },
  );

  it(
    "splits a 50,000-character answer into messages within Slack's limits " +
      'without cutting a link or a marker',
    () => {
      const base = readFixture('peer-cases-answer.json') as Answer;
      const answer = longAnswer(base);
      expect(answer.text.length).toBeGreaterThanOrEqual(50_000);
      const messages = renderAnswer(answer, { question: 'long', feedback: 'feedback_buttons' });
      expect(messages.length).toBeGreaterThan(1);
      for (const message of messages) {
        expect(blockKitProblems(message)).toEqual([]);
        expect(blockTextLength(message.blocks)).toBeLessThanOrEqual(12_000);
      }
      const sections = messages
        .flatMap((message) => message.blocks)
        .filter((block) => block.type === 'section')
        .map((block: any) => block.text.text as string);
      const text = sections.join('\n');
      // Nothing lost: every paragraph's link and markers arrive whole.
      const links =
        text.match(/<https:\/\/example\.org\/evaluations\/\d+\?a=1&amp;b=2\|read the evaluation>/g) ?? [];
      expect(links.length).toBe(answer.text.match(/\]\(https:\/\/example\.org/g)!.length);
      expect((text.match(/\[\d+\]/g) ?? []).length).toBe((answer.text.match(/\[\d+\]/g) ?? []).length);
      // The sources, buttons and AI note come once, at the end.
      expect(messages.at(-1)!.blocks.at(-1)!.type).toBe('context');
      expect(
        messages.flatMap((message) => message.blocks).filter((block) => block.type === 'context_actions'),
      ).toHaveLength(1);
    },
  );

  it('writes Slack mrkdwn: bold, links and bullets converted, &<> escaped, no mention can ping', () => {
    const mrkdwn = markdownToMrkdwn(
      '# Title\n' +
        '**Bold** and *italic* with [a link](https://example.org/?a=1&b=2) [1]\n' +
        '- item <!channel> @here & <@U123> a<b>c',
    );
    expect(mrkdwn).toBe(
      '*Title*\n' +
        '*Bold* and _italic_ with <https://example.org/?a=1&amp;b=2|a link> [1]\n' +
        '• item &lt;!channel&gt; @\u2060here &amp; &lt;@U123&gt; a&lt;b&gt;c',
    );
    // Only http(s) and mailto become links; a pipe cannot end the URL early.
    expect(markdownToMrkdwn('[bad](javascript:alert(1)) [x](https://a.example/|y)')).toBe(
      'bad) <https://a.example/%7Cy|x>',
    );
  });

  it('never splits inside a link, an entity or a citation marker, even at the limit', () => {
    const text = `${'word '.repeat(30)}<https://example.org/a-long-link|label with spaces> [12] &amp; more`;
    // Any limit longer than the longest atom (the 51-character link); the renderer's is 3,000.
    for (let limit = 52; limit < text.length; limit += 3) {
      const pieces = splitSafely(text, limit);
      for (const piece of pieces) {
        expect(piece.length).toBeLessThanOrEqual(limit);
        expect((piece.match(/</g) ?? []).length).toBe((piece.match(/>/g) ?? []).length);
        expect(piece).not.toMatch(/\[\d*$|^\d*\]|&am$|&a$/);
      }
      expect(pieces.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
    }
  });

  it(
    'uses plain 👍/👎 buttons and a share button for ephemeral answers, ' +
      'and drops what would break a limit',
    () => {
      const base = readFixture('peer-cases-answer.json') as Answer;
      const answer: Answer = {
        ...base,
        followUps: [
          ...base.followUps,
          'x'.repeat(2_500),
          'A very long follow-up question that certainly does not fit on a button label',
        ],
      };
      const [message] = renderAnswer(answer, {
        question: 'q'.repeat(5_000),
        feedback: 'buttons',
        shareValue: 'share-1',
      });
      expect(blockKitProblems(message!)).toEqual([]);
      const actions = message!.blocks.filter((block) => block.type === 'actions') as any[];
      expect(actions.map((block) => block.elements.map((element: any) => element.action_id))).toEqual([
        [
          'navigator_follow_up_0',
          'navigator_follow_up_1',
          'navigator_follow_up_2',
          'navigator_follow_up_3',
          'navigator_follow_up_4',
        ],
        ['navigator_share'],
        ['navigator_feedback_helpful', 'navigator_feedback_not_helpful'],
      ]);
      expect(actions[0].elements[4].text.text.length).toBeLessThanOrEqual(75);
    },
  );
});
