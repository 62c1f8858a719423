import type { Answer } from '../answer.js';
import type { ConversationState, ConversationStore } from '../conversation-store.js';
import type { ResolvedAsk } from './resolve-follow-up.js';

/**
 * Keeps what a follow-up needs: the topic, ask and filters, the entries listed in order ("the
 * second one"), and the last turns for the language model. A detail about a listed entry keeps
 * the list it came from, so "and the third one?" still works after it.
 */
export async function rememberTurn(
  conversations: ConversationStore,
  conversationId: string,
  text: string,
  answer: Answer,
  state: ConversationState | undefined,
  ask: Pick<ResolvedAsk, 'topic' | 'hardFilters'>,
): Promise<void> {
  const detail = answer.intent === 'entry_detail' && state;
  const listed =
    answer.peerCases.length > 0
      ? answer.peerCases.map((peer) => peer.id)
      : answer.citations.map((citation) => citation.id);
  await conversations.set(conversationId, {
    topic: detail ? state.topic : ask.topic,
    intent: detail ? state.intent : answer.intent,
    filters: detail ? state.filters : ask.hardFilters,
    filterNotes: detail ? state.filterNotes : answer.filtersApplied,
    listed: detail ? state.listed : listed,
    history: [
      ...(state?.history ?? []),
      { role: 'user' as const, text },
      { role: 'assistant' as const, text: answer.text.slice(0, 1_500) },
    ].slice(-12),
    updatedAt: Date.now(),
  });
}
