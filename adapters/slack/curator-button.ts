import type { types } from '@slack/bolt';
import { blockKitLimits } from './block-kit-limits.js';
import { actionIds } from './interaction-ids.js';

/** The button under an answer; its value carries the question and the asker's conversation. */
export function curatorButtonBlock(question: string, conversationId?: string): types.ActionsBlock {
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: actionIds.askCurator,
        text: { type: 'plain_text', text: '🙋 Ask a curator' },
        value: JSON.stringify({ q: question.slice(0, 1_200), c: conversationId?.slice(0, 300) }).slice(
          0,
          blockKitLimits.buttonValue,
        ),
      },
    ],
  };
}
