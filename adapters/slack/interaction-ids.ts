// The ids that tie rendered blocks, modals and the manifest to their listeners, in one place.
export const actionIds = {
  /** The `feedback_buttons` element; its value says which of the two was clicked. */
  feedback: 'navigator_feedback',
  /** The 👍/👎 fallback buttons (surfaces without feedback_buttons, e.g. ephemeral answers). */
  feedbackHelpful: 'navigator_feedback_helpful',
  feedbackNotHelpful: 'navigator_feedback_not_helpful',
  feedbackComment: 'navigator_feedback_comment',
  /** Follow-up buttons are `navigator_follow_up_0` … `_4` (action ids must differ within a block). */
  followUpPrefix: 'navigator_follow_up_',
  share: 'navigator_share',
  /** "Ask a curator" under an answer (NAVIGATOR_CURATOR_CHANNEL_SLACK). */
  askCurator: 'navigator_ask_curator',
} as const;

export const callbackIds = {
  submitCaseMessageShortcut: 'navigator_submit_case_message',
  submitCaseGlobalShortcut: 'navigator_submit_case',
  caseSubmissionModal: 'navigator_case_submission',
  feedbackCommentModal: 'navigator_feedback_comment',
  channelSettingsModal: 'navigator_channel_settings',
} as const;

export const slashCommand = '/navigator';
