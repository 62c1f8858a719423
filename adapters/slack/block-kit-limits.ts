// Slack's documented Block Kit limits that the renderer must respect (Block Kit reference pages).
export const blockKitLimits = {
  blocksPerMessage: 50,
  sectionText: 3_000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2_000,
  privateMetadata: 3_000,
  modalTitle: 24,
} as const;

/**
 * Our own budgets, below Slack's hard limits: a message whose blocks carry more text is refused
 * with `msg_blocks_too_long`, and chat.stopStream takes at most 12,000 characters of markdown.
 */
export const messageBudgets = {
  /** Characters of block text per message. */
  textPerMessage: 12_000,
  /** Characters per streamed markdown chunk. */
  streamChunk: 3_000,
  /** The notification text of a message (what shows in push notifications and for screen readers). */
  fallbackText: 600,
  /** Follow-up suggestions shown as buttons. */
  followUpButtons: 5,
  /** One-line reasons on cards. */
  cardReason: 240,
} as const;
