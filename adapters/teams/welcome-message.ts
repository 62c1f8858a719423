import type { Activity } from 'botbuilder';
import { cardMessage } from './fit-message.js';
import { renderQuestionsCard } from './render-card.js';

/** Questions the welcome card offers as buttons; manifest.json lists shorter forms as bot commands. */
export const exampleQuestions = [
  'Who has made benefits proactive?',
  'Which method fits a cross-ministry climate goal?',
  'What skills does my team lack if we never test anything before rollout?',
  'Any participatory budgeting examples from local government in Latin America?',
];

/** The message sent when the bot is added to a chat or team. */
export function renderWelcome(conversationType: string | undefined): Partial<Activity> {
  const howToAsk =
    conversationType === 'channel' || conversationType === 'groupChat'
      ? 'Mention me (@PSI Navigator) with your question, and reply in the thread to follow up.'
      : 'Ask me in your own words, and follow up in this chat.';
  return cardMessage(
    renderQuestionsCard(
      'Hello, I am the PSI Navigator',
      [
        'I answer practical questions about public sector innovation from a curated knowledge base',
        'of real cases, free toolkits, the core skills and the four innovation facets,',
        'and I always show my sources. Try one of these:',
      ].join(' '),
      exampleQuestions,
      howToAsk,
    ),
    false,
  );
}
