import type { Intent } from './answer.js';
import type { SearchFilters } from '../retrieval/filters.js';

/** What the assistant remembers of a conversation to understand follow-ups. */
export interface ConversationState {
  /** The last question that carried a topic (not a bare follow-up). */
  topic: string;
  intent: Intent;
  filters: SearchFilters;
  /** Plain words of those filters, to say them again when a follow-up narrows further. */
  filterNotes?: string[];
  /** Entry ids in the order the last answer listed them ("the second one"). */
  listed: string[];
  /** Recent turns, oldest first, for the language model's context. */
  history: { role: 'user' | 'assistant'; text: string }[];
  updatedAt: number;
}

/** The port: where conversation state lives. One process → memory; several → a shared store. */
export interface ConversationStore {
  get(conversationId: string): Promise<ConversationState | undefined>;
  set(conversationId: string, state: ConversationState): Promise<void>;
}

/** In-process store with an idle timeout and a cap on conversations, oldest evicted first. */
export class MemoryConversationStore implements ConversationStore {
  private readonly states = new Map<string, ConversationState>();

  constructor(
    private readonly idleMillis = 2 * 60 * 60 * 1000,
    private readonly maxConversations = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(conversationId: string): Promise<ConversationState | undefined> {
    const state = this.states.get(conversationId);
    if (!state) return undefined;
    if (this.now() - state.updatedAt > this.idleMillis) {
      this.states.delete(conversationId);
      return undefined;
    }
    return state;
  }

  async set(conversationId: string, state: ConversationState): Promise<void> {
    this.states.delete(conversationId);
    this.states.set(conversationId, { ...state, history: state.history.slice(-8), updatedAt: this.now() });
    while (this.states.size > this.maxConversations) {
      const oldest = this.states.keys().next().value as string;
      this.states.delete(oldest);
    }
  }
}
