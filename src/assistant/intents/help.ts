import { emptySection, type PlannedSection } from '../stages/plan.js';

/** Questions a first-time user can try; also the follow-ups of help and no-match answers. */
export const exampleQuestions = [
  'Who has made benefits proactive?',
  'Which method fits a cross-ministry climate goal?',
  'What skills does my team lack if we never test anything before rollout?',
  'Any participatory budgeting examples from local government in Latin America?',
];

/** What the Navigator does, with examples. */
export async function planHelp(): Promise<PlannedSection> {
  return {
    ...emptySection('help', [
      'I answer questions about public sector innovation from a curated knowledge base of real cases, ' +
        'free toolkits, the core skills and the four innovation facets, and I always show my sources. Try:',
      ...exampleQuestions.map((example) => `- ${example}`),
      '- Paste a list of your projects (one per line) and I will map them on the facets.',
      '- Ask in English, French, Spanish, German, Portuguese, Italian or Dutch.',
    ]),
    followUps: exampleQuestions,
  };
}
