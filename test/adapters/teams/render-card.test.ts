import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toTeamsMarkdown } from '../../../adapters/teams/card-markdown.js';
import {
  messageBudgetBytes,
  messageBytes,
  renderAnswerMessages,
} from '../../../adapters/teams/fit-message.js';
import { renderAnswerCard } from '../../../adapters/teams/render-card.js';
import { renderTextReply } from '../../../adapters/teams/render-text-reply.js';
import type { Answer } from '../../../src/index.js';
import { adaptiveCard15Schema, textsOf } from './adaptive-card-schema.js';

// A real answer of the offline Navigator ("Who has made benefits proactive?"), frozen as input.
const benefits: Answer = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'answer-benefits.json'), 'utf8'),
);
const question = 'Who has made benefits proactive?';

function expectTeamsMarkdownOnly(texts: string[]) {
  for (const text of texts) {
    expect(text).not.toMatch(/^\s*(#|>|```)/m);
    expect(text).not.toContain('`');
  }
}

describe('the answer card', () => {
  it('renders the fixture answer as the checked-in Adaptive Card 1.5, valid against the schema', async () => {
    const card = renderAnswerCard(benefits, { question });
    await expect(`${JSON.stringify(card, null, 2)}\n`).toMatchFileSnapshot('./fixtures/answer-card.json');
    expect(adaptiveCard15Schema.safeParse(card).error).toBeUndefined();
    expect(card.version).toBe('1.5');
    expectTeamsMarkdownOnly(textsOf(card));
  });

  it(
    'has the answer text, methods and peer cases as containers, ' +
      'numbered sources with links, follow-ups and feedback',
    () => {
      const card = renderAnswerCard(benefits, { question });
      const texts = textsOf(card);
      expect(
        texts.some(
          (text) =>
            text.includes('Proactive family benefits in Estonia') && text.includes('Social Insurance Board'),
        ),
      ).toBe(true);
      const containers = card.body.filter((element) => element.type === 'Container');
      expect(containers).toHaveLength(benefits.peerCases.length + benefits.recommendedMethods.length);
      const estonia = containers.find(
        (container) =>
          JSON.stringify(container).includes('estonia') || JSON.stringify(container).includes('Estonia'),
      );
      expect(textsOf(estonia!.items)).toContain(
        'Social Insurance Board (Sotsiaalkindlustusamet, SKA) · Estonia · national level',
      );
      const sources = texts.find((text) => text.startsWith('1. '))!;
      benefits.citations.forEach((citation, index) =>
        expect(sources).toContain(`${index + 1}. [${citation.title}](${citation.url})`),
      );
      const followUps = card.body.find((element) => element.type === 'ActionSet') as unknown as {
        actions: { data: unknown }[];
      };
      expect(followUps.actions.map((action) => action.data)).toEqual(
        benefits.followUps.map((followUp) => ({ action: 'navigator.ask', question: followUp })),
      );
      expect(card.actions?.map((action) => action.title)).toEqual(['👍 Helpful', '👎 Not helpful']);
      expect(card.actions?.[1]).toMatchObject({
        data: {
          action: 'navigator.feedback',
          rating: 'not_helpful',
          question,
          cited: benefits.citations.map((citation) => citation.id),
        },
      });
    },
  );

  it('is one message well under the ~28 KB Teams limit', () => {
    const messages = renderAnswerMessages(benefits, { question, conversationType: 'channel' });
    expect(messages).toHaveLength(1);
    expect(messages[0]!.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(messageBytes(messages[0]!)).toBeLessThan(messageBudgetBytes);
    expect(messages[0]!.entities?.[0]).toMatchObject({
      '@type': 'Message',
      additionalType: ['AIGeneratedContent'],
    });
  });

  it(
    'splits an answer too large for one message: ' +
      'the text in parts first, then the card, each within the budget',
    () => {
      const sentence = 'A long paragraph about proactive benefits and life events, with a source [1]. ';
      const paragraph = sentence.repeat(40);
      const huge: Answer = { ...benefits, text: Array.from({ length: 12 }, () => paragraph).join('\n\n') };
      const messages = renderAnswerMessages(huge, { question });
      expect(messages.length).toBeGreaterThanOrEqual(3);
      for (const message of messages) expect(messageBytes(message)).toBeLessThanOrEqual(messageBudgetBytes);
      const card = messages.at(-1)!.attachments![0]!.content;
      expect(adaptiveCard15Schema.safeParse(card).error).toBeUndefined();
      expect(textsOf(card)).toContain('The answer is in the message above; the details and sources follow.');
      const texts = messages.slice(0, -1).map((message) => message.text!);
      const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
      expect(flat(texts.join('\n\n')) === flat(huge.text), 'the parts add up to the whole text').toBe(true);
    },
  );
});

describe('the text reply', () => {
  it('carries the AI label, one citation claim per [n] marker used, and the feedback loop', () => {
    const reply = renderTextReply(
      {
        ...benefits,
        text: 'Estonia pays family benefits without an application [1]; Singapore did so with an app [5].',
      },
      { aiGenerated: true, feedbackLoop: true },
    );
    expect(reply.channelData).toEqual({ feedbackLoopEnabled: true });
    expect(reply.entities).toHaveLength(1); // Teams rejects more than one root Message entity
    const entity = reply.entities![0]!;
    expect(entity).toMatchObject({
      type: 'https://schema.org/Message',
      '@type': 'Message',
      '@context': 'https://schema.org',
      additionalType: ['AIGeneratedContent'],
    });
    expect(entity.citation.map((claim: { position: number }) => claim.position)).toEqual([1, 5]);
    expect(entity.citation[0]).toEqual({
      '@type': 'Claim',
      position: 1,
      appearance: {
        '@type': 'DigitalDocument',
        name: 'Proactive family benefits in Estonia',
        abstract: expect.stringMatching(/^Social Insurance Board.*Estonia/),
        url: benefits.citations[0]!.url,
        keywords: ['case'],
      },
    });
    for (const claim of entity.citation) expect(claim.appearance.abstract.length).toBeLessThanOrEqual(160);
  });

  it('sends at most ten citations, the most Teams accepts', () => {
    const citations = Array.from({ length: 14 }, (_, index) => ({
      id: `entry-${index}`,
      type: 'case',
      title: `Case ${index + 1}`,
    }));
    const answer: Answer = {
      ...benefits,
      citations,
      peerCases: [],
      recommendedMethods: [],
      text: citations.map((_, index) => `Point [${index + 1}].`).join(' '),
    };
    const reply = renderTextReply(answer, { aiGenerated: false, feedbackLoop: false });
    expect(reply.entities![0]!.citation).toHaveLength(10);
    expect(reply.entities![0]!.additionalType).toBeUndefined();
    expect(reply.channelData).toBeUndefined();
  });
});

describe('Markdown for Teams', () => {
  it('keeps bold, italic, links and flat lists, and rewrites headings, quotes, code and nested lists', () => {
    const markdown = [
      '## Who to approach',
      'Intro line',
      '* first',
      '  * nested',
      '> quoted',
      '```',
      'code',
      '```',
      'Use `inline` and __strong__ ![logo](https://example.org/logo.png)',
      '---',
      '1) one',
    ].join('\n');
    expect(toTeamsMarkdown(markdown)).toBe(
      [
        '**Who to approach**',
        'Intro line',
        '',
        '- first',
        '- nested',
        'quoted',
        'code',
        'Use inline and **strong** [logo](https://example.org/logo.png)',
        '',
        '1) one',
      ].join('\n'),
    );
  });
});
