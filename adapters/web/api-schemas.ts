import { z } from 'zod';

// The JSON API of the web chat and the curator console: every request and response body is one of
// these schemas, the server checks both directions, and /api/openapi.json is generated from them.
// The browser code imports only the types.

const id = z.string().min(1).max(200);

export const errorSchema = z.object({
  error: z.object({
    code: z.string().describe('Machine-readable: invalid_request, csrf_invalid, sign_in_required …'),
    message: z.string().describe('What went wrong and how to fix it'),
    details: z.record(z.string(), z.string()).optional().describe('Field → problem'),
  }),
});

export const citationSchema = z.object({
  id: z.string(),
  type: z.string(),
  title: z.string(),
  url: z.string().optional(),
});

export const answerSchema = z.object({
  status: z.enum(['answered', 'no_match', 'clarify', 'refused', 'degraded']),
  intent: z.string(),
  text: z.string().describe('Markdown with numbered citation markers such as [1]'),
  citations: z.array(citationSchema),
  recommendedMethods: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      url: z.string().optional(),
      publisher: z.string().optional(),
      reason: z.string(),
      facets: z.array(z.string()),
      lifecycleStages: z.array(z.string()),
    }),
  ),
  peerCases: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      country: z.string().optional(),
      level: z.string().optional(),
      organisation: z.string().optional(),
      year: z.number().nullable().optional(),
      url: z.string().optional(),
      reason: z.string(),
    }),
  ),
  skills: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      url: z.string().optional(),
      reason: z.string(),
      toolkits: z.array(z.object({ id: z.string(), title: z.string(), url: z.string().optional() })),
    }),
  ),
  portfolio: z.array(z.object({ project: z.string(), facet: z.string(), reason: z.string() })),
  followUps: z.array(z.string()),
  language: z.string().optional(),
  filtersApplied: z.array(z.string()).optional(),
  filtersRelaxed: z.array(z.string()).optional(),
});

const handOffStatus = z.enum(['open', 'answered', 'closed']);

export const turnHandOffSchema = z.object({
  status: handOffStatus,
  notice: z.string().describe('What the asker is told once the question is with the curators'),
  reply: z
    .object({
      label: z.string().describe('Marks the reply as from a person, not the AI'),
      text: z.string(),
      repliedAt: z.iso.datetime(),
    })
    .optional()
    .describe('The curator’s reply, once there is one'),
});

export const turnSchema = z.object({
  turnId: z.string(),
  question: z.string(),
  answer: answerSchema,
  rating: z.enum(['helpful', 'not_helpful']).optional(),
  askedAt: z.iso.datetime(),
  aiGenerated: z.boolean().describe('Whether a language model wrote the text (shown as a label)'),
  handOff: turnHandOffSchema.optional().describe('Set once the answer was handed to a curator'),
});

export const sessionSchema = z.object({
  role: z.enum(['visitor', 'member', 'curator']),
  userName: z.string().optional(),
  csrfToken: z.string().describe('Send as the x-csrf-token header on every POST'),
  chat: z.object({
    access: z.enum(['open', 'sign-in', 'off']),
    canAsk: z.boolean(),
    curatorContact: z.string().optional().describe('Where "Ask a curator" leads when handOff is false'),
    handOff: z.boolean().describe('Whether "Ask a curator" hands the answer to the curator console'),
  }),
  signIn: z.object({ token: z.boolean(), oidc: z.boolean() }),
});

export const tokenSignInSchema = z.object({ token: z.string().min(1).max(500) });

export const conversationSchema = z.object({ conversationId: z.string(), turns: z.array(turnSchema) });

export const askRequestSchema = z.object({
  question: z.string().trim().min(1, { message: 'Type a question.' }).max(2_000, {
    message: 'Keep the question under 2,000 characters.',
  }),
});

export const streamEventSchemas = {
  delta: z.object({ text: z.string().describe('The next piece of the answer text') }),
  turn: turnSchema,
  error: errorSchema,
};

export const feedbackRequestSchema = z.object({
  turnId: id,
  rating: z.enum(['helpful', 'not_helpful']),
  comment: z.string().trim().max(2_000).optional(),
});
export const feedbackResponseSchema = z.object({ feedbackId: z.string() });

export const askCuratorRequestSchema = z.object({
  turnId: id,
  note: z
    .string()
    .trim()
    .max(2_000, { message: 'Keep the note under 2,000 characters.' })
    .optional()
    .describe('What the person still needs'),
});
export const askCuratorResponseSchema = z.object({
  created: z.boolean().describe('False when this answer was already with the curators'),
  handOff: turnHandOffSchema,
});

export const curatorHandOffSchema = z.object({
  handOffId: z.string(),
  status: handOffStatus,
  question: z.string(),
  answer: z.string().describe('The answer the asker was given (Markdown)'),
  note: z.string().optional().describe('What the asker still needs, in their words'),
  asker: z.string().optional(),
  askedAt: z.iso.datetime(),
  reply: z.string().optional(),
  repliedBy: z.string().optional(),
  answeredAt: z.iso.datetime().optional(),
});
export const handOffListQuerySchema = z.object({
  status: z.enum(['open', 'answered', 'all']).default('open'),
});
export const handOffListSchema = z.object({
  handOffs: z.array(curatorHandOffSchema).describe('Oldest first'),
  open: z.number().int().describe('How many are open'),
});
export const handOffReplyRequestSchema = z.object({
  reply: z.string().trim().min(1, { message: 'Write a reply.' }).max(4_000, {
    message: 'Keep the reply under 4,000 characters.',
  }),
});
export const handOffReplyResponseSchema = z.object({ handOff: curatorHandOffSchema });

const submissionStatus = z.enum(['to_review', 'accepted', 'rejected']);

export const submissionSchema = z.object({
  submissionId: z.string(),
  status: submissionStatus,
  channel: z.string(),
  submittedBy: z.string().optional(),
  submittedAt: z.iso.datetime(),
  reviewedAt: z.iso.datetime().optional(),
  reviewedBy: z.string().optional(),
  reviewNote: z.string().optional(),
  entryId: z.string().optional(),
  title: z.string(),
  country: z.string(),
  organisation: z.string(),
  whatWasDone: z.string(),
  link: z.string(),
});

export const submissionListQuerySchema = z.object({ status: submissionStatus.optional() });
export const submissionListSchema = z.object({ submissions: z.array(submissionSchema) });

export const entryQuestionSchema = z.object({
  field: z.string(),
  prompt: z.string(),
  list: z.boolean().optional(),
  optional: z.boolean().optional(),
  choices: z.array(z.string()).optional(),
});

export const draftSchema = z.object({
  id: z.string().trim().min(1).max(80).describe('File name: knowledge/cases/<id>.md'),
  answers: z.record(z.string(), z.string().max(4_000)).describe('Field → value; lists comma-separated'),
  sections: z.record(z.string(), z.string().max(8_000)).default({}).describe('Heading → Markdown text'),
});

export const submissionDetailSchema = z.object({
  submission: submissionSchema,
  draft: draftSchema,
  questions: z.array(entryQuestionSchema),
  sectionHeadings: z.array(z.string()),
});

export const acceptResponseSchema = z.object({
  submission: submissionSchema,
  path: z.string().describe('The file written, relative to the knowledge directory'),
  diff: z.string().describe('Unified diff of the knowledge directory'),
});

export const problemsResponseSchema = z.object({
  error: z.object({
    code: z.literal('draft_invalid'),
    message: z.string(),
    problems: z.array(z.object({ field: z.string(), problem: z.string(), fix: z.string() })),
  }),
});

export const rejectRequestSchema = z.object({
  reason: z.string().trim().min(3, { message: 'Say why, in a few words.' }).max(2_000),
});
export const submissionResponseSchema = z.object({ submission: submissionSchema });

const day = z.iso.date();

export const feedbackQuerySchema = z.object({
  from: day.optional().describe('First day, YYYY-MM-DD (default: 30 days ago)'),
  to: day.optional().describe('Last day, YYYY-MM-DD (default: today)'),
  channel: z.string().max(40).optional(),
  rating: z.enum(['helpful', 'not_helpful']).optional(),
});

export const feedbackListSchema = z.object({
  feedback: z.array(
    z.object({
      feedbackId: z.string(),
      channel: z.string(),
      rating: z.enum(['helpful', 'not_helpful']),
      comment: z.string().optional(),
      question: z.string().optional(),
      conversationId: z.string().optional(),
      citedIds: z.array(z.string()),
      receivedAt: z.iso.datetime(),
      answer: z.string().optional().describe('The rated answer as its reader saw it, when kept'),
      answerLink: z
        .url({ protocol: /^https$/ })
        .optional()
        .describe('Opens the rated answer in its channel (a Slack permalink)'),
    }),
  ),
  channels: z.array(z.string()),
});

export const gapsQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(3650).default(30),
});

export const gapReportSchema = z.object({
  gaps: z.array(
    z.object({
      topic: z.string(),
      noMatch: z.number().int(),
      notHelpful: z.number().int(),
      total: z.number().int(),
      lastSeenAt: z.iso.datetime(),
    }),
  ),
  timeline: z.array(z.object({ day, noMatch: z.number().int(), notHelpful: z.number().int() })),
});

const grid = z.record(z.string(), z.record(z.string(), z.number().int()));

export const coverageSchema = z.object({
  facets: z.array(z.string()),
  stages: z.array(z.string()),
  cases: grid.describe('facet → stage → cases'),
  toolkits: grid.describe('facet → stage → toolkits'),
  casesByCountry: z.array(z.object({ country: z.string(), cases: z.number().int() })),
  gaps: z.array(z.string()),
  minimumCasesPerCell: z.number().int(),
});

export const entriesQuerySchema = z.object({
  type: z.enum(['case', 'toolkit']).default('case'),
  country: z.string().max(100).optional(),
  level: z.string().max(40).optional(),
  sector: z.string().max(100).optional(),
  stage: z.string().max(60).optional(),
  facet: z.string().max(60).optional(),
  year: z.coerce.number().int().min(1900).max(2100).optional(),
  discipline: z.string().max(100).optional(),
  licence: z.string().max(100).optional(),
  reuse: z.string().max(20).optional(),
});

export const entriesSchema = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      title: z.string(),
      summary: z.string(),
      file: z.string(),
      url: z.string().optional(),
      facets: z.array(z.string()),
      stages: z.array(z.string()),
      details: z.array(z.string()).describe('Country, level, year … as short labels'),
    }),
  ),
  options: z.record(z.string(), z.array(z.string())).describe('Filter → the values that occur'),
});

export type ApiError = z.infer<typeof errorSchema>;
export type AnswerBody = z.infer<typeof answerSchema>;
export type Turn = z.infer<typeof turnSchema>;
export type TurnHandOff = z.infer<typeof turnHandOffSchema>;
export type AskCuratorResponse = z.infer<typeof askCuratorResponseSchema>;
export type CuratorHandOff = z.infer<typeof curatorHandOffSchema>;
export type HandOffList = z.infer<typeof handOffListSchema>;
export type SessionBody = z.infer<typeof sessionSchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type Submission = z.infer<typeof submissionSchema>;
export type SubmissionDetail = z.infer<typeof submissionDetailSchema>;
export type AcceptResponse = z.infer<typeof acceptResponseSchema>;
export type FeedbackList = z.infer<typeof feedbackListSchema>;
export type GapReport = z.infer<typeof gapReportSchema>;
export type Coverage = z.infer<typeof coverageSchema>;
export type Entries = z.infer<typeof entriesSchema>;
