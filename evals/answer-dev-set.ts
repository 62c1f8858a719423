import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Answer } from '../src/assistant/answer.js';
import { projectRoot } from '../src/paths.js';

const sectionSchema = z.enum(['methods', 'peers', 'skills', 'portfolio']);

const messageSchema = z.object({
  kind: z.string(),
  noise: z.string().optional(),
  message: z.string().min(2),
  expect: z.object({
    status: z.enum(['answered', 'no_match']).default('answered'),
    cites_any: z.array(z.string()).optional(),
    not_cites: z.array(z.string()).optional(),
    sections: z.array(sectionSchema).optional(),
    language: z.string().optional(),
    filters_relaxed: z.boolean().optional(),
  }),
  note: z.string().optional(),
});
export type AnswerDevMessage = z.infer<typeof messageSchema>;

export const answerDevSetPath = join(projectRoot(), 'evals', 'answer-dev-set.jsonl');

/** Realistic messages with what a good answer must contain; see evals/README in the main README. */
export function loadAnswerDevSet(path = answerDevSetPath): AnswerDevMessage[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, index) => {
      const parsed = messageSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${index + 1}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}

const matches = (pattern: string, id: string) =>
  pattern.endsWith('*') ? id.startsWith(pattern.slice(0, -1)) : id === pattern;

/** Every entry an answer shows: cited, or listed as a peer, method or skill. */
export function shownIds(answer: Answer): string[] {
  return [
    ...answer.citations.map((citation) => citation.id),
    ...answer.peerCases.map((peer) => peer.id),
    ...answer.recommendedMethods.map((method) => method.id),
    ...answer.skills.map((skill) => skill.id),
  ];
}

/** Why an answer fails its expectations; empty when it passes. */
export function judgeAnswer(message: AnswerDevMessage, answer: Answer): string[] {
  const { expect } = message;
  const problems: string[] = [];
  const status = answer.status === 'degraded' ? 'answered' : answer.status;
  if (expect.status === 'no_match') {
    if (status !== 'no_match') problems.push(`status ${answer.status}, wanted no_match`);
    return problems;
  }
  if (status !== 'answered') return [`status ${answer.status}`];
  const shown = shownIds(answer);
  if (expect.cites_any && !expect.cites_any.some((pattern) => shown.some((id) => matches(pattern, id))))
    problems.push(`cites none of ${expect.cites_any.join(', ')}`);
  for (const pattern of expect.not_cites ?? [])
    if (shown.some((id) => matches(pattern, id))) problems.push(`cites ${pattern}`);
  const sizes = {
    methods: answer.recommendedMethods.length,
    peers: answer.peerCases.length,
    skills: answer.skills.length,
    portfolio: answer.portfolio.length,
  };
  for (const section of expect.sections ?? []) if (sizes[section] === 0) problems.push(`no ${section}`);
  if (expect.language && answer.language !== expect.language)
    problems.push(`language ${answer.language}, wanted ${expect.language}`);
  if (expect.filters_relaxed && !(answer.filtersRelaxed && answer.filtersRelaxed.length > 0))
    problems.push('did not relax the filter');
  return problems;
}
