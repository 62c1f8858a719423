import type { Answer, Citation, PeerCase, RecommendedMethod, SkillAdvice } from '../../src/index.js';
import { toTeamsMarkdown, truncate } from './card-markdown.js';

// Answer → Adaptive Card 1.5 (the version Teams supports). Only elements of the 1.5 schema are used and
// no host-specific properties, so the card validates against the schema and renders in any host.

export const adaptiveCardSchema = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const adaptiveCardContentType = 'application/vnd.microsoft.card.adaptive';

/** What an Action.Submit button sends back in `activity.value`. */
export type CardActionData =
  | { action: 'navigator.ask'; question: string }
  | { action: 'navigator.feedback'; rating: 'helpful' | 'not_helpful'; question?: string; cited?: string[] };

/** The verb of the feedback buttons' Action.Execute (an `adaptiveCard/action` invoke). */
export const feedbackVerb = 'navigator.feedback';

export type CardElement = { type: string } & Record<string, unknown>;
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  fallbackText?: string;
}

/** How much of each section the card shows; lowered when a card must shrink to fit a Teams message. */
export interface CardLimits {
  peers: number;
  methods: number;
  skills: number;
  placements: number;
  sources: number;
  reasonCharacters: number;
}
export const fullLimits: CardLimits = {
  peers: 5,
  methods: 4,
  skills: 4,
  placements: 12,
  sources: 10,
  reasonCharacters: 280,
};
export const compactLimits: CardLimits = {
  peers: 3,
  methods: 3,
  skills: 3,
  placements: 6,
  sources: 6,
  reasonCharacters: 120,
};
export const minimalLimits: CardLimits = {
  peers: 0,
  methods: 0,
  skills: 0,
  placements: 0,
  sources: 10,
  reasonCharacters: 0,
};

export interface AnswerCardOptions {
  /** The question asked, carried by the feedback buttons so feedback can be recorded with it. */
  question: string;
  limits?: CardLimits;
  /** Leave the answer text out because it travels in text messages before the card. */
  withoutText?: boolean;
}

const text = (value: string, extra: Record<string, unknown> = {}): CardElement => ({
  type: 'TextBlock',
  text: value,
  wrap: true,
  ...extra,
});
const heading = (value: string): CardElement =>
  text(value, { style: 'heading', size: 'medium', weight: 'bolder', spacing: 'large', separator: true });
const link = (title: string, url?: string) => (url ? `[${escapeLinkText(title)}](${url})` : title);
const escapeLinkText = (title: string) => title.replace(/[[\]]/g, '');

/**
 * Answer → Adaptive Card: answer text, methods, peers, skills, portfolio, numbered sources, follow-ups
 * and 👍/👎.
 */
export function renderAnswerCard(answer: Answer, options: AnswerCardOptions): AdaptiveCard {
  const limits = options.limits ?? fullLimits;
  const body: CardElement[] = [
    text('PSI Navigator', { size: 'small', weight: 'bolder', color: 'accent', spacing: 'none' }),
  ];
  if (answer.status === 'degraded')
    body.push(
      text('Composed from the knowledge base without the language model, which did not answer in time.', {
        size: 'small',
        isSubtle: true,
        spacing: 'small',
      }),
    );
  if (!options.withoutText) body.push(text(toTeamsMarkdown(answer.text), { spacing: 'small' }));
  else
    body.push(
      text('The answer is in the message above; the details and sources follow.', {
        isSubtle: true,
        spacing: 'small',
      }),
    );

  // When the answer text already names an item it also says why; the container then stays a compact
  // reference (link, who, where) instead of repeating the reason.
  const reasonLimits = (title: string): CardLimits =>
    answer.text.includes(title) ? { ...limits, reasonCharacters: 0 } : limits;
  const methods = answer.recommendedMethods.slice(0, limits.methods);
  if (methods.length > 0)
    body.push(
      heading('Methods and toolkits'),
      ...methods.map((method) => methodContainer(method, reasonLimits(method.title))),
    );
  const peers = answer.peerCases.slice(0, limits.peers);
  if (peers.length > 0)
    body.push(
      heading('Peer cases: whom to approach'),
      ...peers.map((peer) => peerContainer(peer, reasonLimits(peer.title))),
    );
  const skills = answer.skills.slice(0, limits.skills);
  if (skills.length > 0)
    body.push(heading('Skills'), ...skills.map((skill) => skillContainer(skill, reasonLimits(skill.title))));
  const placements = answer.portfolio.slice(0, limits.placements);
  if (placements.length > 0) {
    body.push(heading('Your portfolio on the four facets'), {
      type: 'FactSet',
      facts: placements.map((placement) => ({
        title: truncate(placement.project, 60),
        value: placement.facet.replace(/-/g, ' '),
      })),
    });
  }
  const omitted =
    answer.recommendedMethods.length -
    methods.length +
    answer.peerCases.length -
    peers.length +
    answer.skills.length -
    skills.length +
    answer.portfolio.length -
    placements.length;
  if (omitted > 0)
    body.push(
      text(`${omitted} more item(s) left out to fit Teams' message size; ask for them by name.`, {
        size: 'small',
        isSubtle: true,
      }),
    );
  if (answer.citations.length > 0)
    body.push(heading('Sources'), sourcesBlock(answer.citations, limits.sources));

  if (answer.followUps.length > 0) {
    body.push({
      type: 'ActionSet',
      spacing: 'medium',
      actions: answer.followUps.slice(0, 4).map((followUp) => ({
        type: 'Action.Submit',
        title: truncate(followUp, 60),
        data: { action: 'navigator.ask', question: followUp } satisfies CardActionData,
      })),
    });
  }
  return {
    type: 'AdaptiveCard',
    $schema: adaptiveCardSchema,
    version: '1.5',
    body,
    actions: feedbackActions(options.question, answer.citations),
    fallbackText: truncate(answer.text, 400),
  };
}

/**
 * The two feedback buttons; they carry the question and cited ids because Teams sends back only the
 * data. Action.Execute comes back as an invoke the bot answers privately, so nothing is posted.
 */
export function feedbackActions(question: string, citations: Citation[]): CardElement[] {
  const shared = {
    question: truncate(question, 300),
    cited: citations.slice(0, 10).map((citation) => citation.id),
  };
  return [
    {
      type: 'Action.Execute',
      verb: feedbackVerb,
      title: '👍 Helpful',
      data: { action: 'navigator.feedback', rating: 'helpful', ...shared } satisfies CardActionData,
    },
    {
      type: 'Action.Execute',
      verb: feedbackVerb,
      title: '👎 Not helpful',
      data: { action: 'navigator.feedback', rating: 'not_helpful', ...shared } satisfies CardActionData,
    },
  ];
}

function compactContainer(items: CardElement[]): CardElement {
  return { type: 'Container', spacing: 'medium', items };
}

function reasonBlock(reason: string, limits: CardLimits): CardElement[] {
  return limits.reasonCharacters > 0 && reason
    ? [text(truncate(reason, limits.reasonCharacters), { isSubtle: true, spacing: 'none', maxLines: 4 })]
    : [];
}

function methodContainer(method: RecommendedMethod, limits: CardLimits): CardElement {
  const where = [method.publisher, ...method.facets.map((facet) => facet.replace(/-/g, ' '))]
    .filter(Boolean)
    .join(' · ');
  return compactContainer([
    text(`**${link(method.title, method.url)}**`),
    ...(where ? [text(where, { size: 'small', isSubtle: true, spacing: 'none' })] : []),
    ...reasonBlock(method.reason, limits),
  ]);
}

function peerContainer(peer: PeerCase, limits: CardLimits): CardElement {
  const where = [
    peer.organisation,
    peer.country,
    peer.level ? `${peer.level} level` : undefined,
    peer.year ?? undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return compactContainer([
    text(`**${link(peer.title, peer.url)}**`),
    ...(where ? [text(where, { size: 'small', isSubtle: true, spacing: 'none' })] : []),
    ...reasonBlock(peer.reason, limits),
  ]);
}

function skillContainer(skill: SkillAdvice, limits: CardLimits): CardElement {
  const toolkits = skill.toolkits.slice(0, 3).map((toolkit) => link(toolkit.title, toolkit.url));
  return compactContainer([
    text(`**${link(skill.title, skill.url)}**`),
    ...reasonBlock(skill.reason, limits),
    ...(toolkits.length > 0
      ? [text(`Start with: ${toolkits.join(', ')}`, { size: 'small', spacing: 'none' })]
      : []),
  ]);
}

/** Numbered like the [n] markers in the text, so a reader can follow a marker to its source. */
function sourcesBlock(citations: Citation[], limit: number): CardElement {
  const lines = citations
    .slice(0, limit)
    .map((citation, index) => `${index + 1}. ${link(citation.title, citation.url)} (${citation.type})`);
  if (citations.length > limit) lines.push('', `${citations.length - limit} more source(s) not shown.`);
  return text(lines.join('\n'), { size: 'small', spacing: 'small' });
}

/** A card with a title, a line of text and buttons that ask questions: the welcome message. */
export function renderQuestionsCard(
  title: string,
  intro: string,
  questions: string[],
  footer?: string,
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: adaptiveCardSchema,
    version: '1.5',
    body: [
      text(title, { style: 'heading', size: 'large', weight: 'bolder' }),
      text(intro, { spacing: 'small' }),
      {
        type: 'ActionSet',
        actions: questions.map((question) => ({
          type: 'Action.Submit',
          title: truncate(question, 60),
          data: { action: 'navigator.ask', question } satisfies CardActionData,
        })),
      },
      ...(footer ? [text(footer, { size: 'small', isSubtle: true })] : []),
    ],
    fallbackText: `${intro} ${questions.join(' · ')}`,
  };
}
