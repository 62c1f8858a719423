import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { NavigatorError } from '../errors.js';
import { stopWords, tokenize } from '../text/tokenize.js';
import type { Vocabulary } from './vocabulary.js';

/** A kind of challenge (many actors, fear of risk, long horizon…) and the methods that fit it. */
export interface ChallengeKind {
  id: string;
  label: string;
  /**
   * Cue phrases: `phrase` as space-padded token strings, for whole-word matching; `text` as the
   * curator wrote it, to quote back ("you mention …").
   */
  cues: { phrase: string; text: string }[];
  methods: string[];
  entries: string[];
}

export interface ChallengeKinds {
  kinds: ChallengeKind[];
  /** Methods a toolkit may be recommended for only when the message mentions them. */
  methodsNeedingMention: Set<string>;
  /** Cues of a private matter (a tax return, a recipe) and of public work, as padded token strings. */
  personalMatters: string[];
  publicWork: string[];
}

export const challengeKindsFileName = 'challenge-kinds.yaml';

const fileSchema = z.object({
  kinds: z.record(
    z.string(),
    z.object({
      label: z.string(),
      cues: z.array(z.union([z.string(), z.number()]).transform(String)).min(1),
      methods: z.array(z.string()).default([]),
      entries: z.array(z.string()).default([]),
    }),
  ),
  methods_needing_mention: z.array(z.string()).default([]),
  personal_matters: z.array(z.string()).default([]),
  public_work: z.array(z.string()).default([]),
});

/**
 * Loads knowledge/challenge-kinds.yaml and checks its method keys against the vocabulary and
 * its entry ids against the knowledge base; a missing file means no kinds.
 */
export async function loadChallengeKinds(
  knowledgeDir: string,
  vocabulary: Vocabulary,
  entryIds: Set<string>,
): Promise<ChallengeKinds> {
  const path = join(knowledgeDir, challengeKindsFileName);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { kinds: [], methodsNeedingMention: new Set(), personalMatters: [], publicWork: [] };
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (cause) {
    throw new NavigatorError(
      'knowledge_invalid',
      `${path}: is not valid YAML — ${(cause as Error).message}`,
      { cause },
    );
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success)
    throw new NavigatorError(
      'knowledge_invalid',
      parsed.error.issues
        .map(
          (issue) =>
            `${path}: ${issue.path.join('.')}: ${issue.message} — see the comment at the top of the file`,
        )
        .join('\n'),
    );
  const problems: string[] = [];
  const checkMethod = (where: string, method: string) => {
    if (!vocabulary.methods.has(method))
      problems.push(
        `${path}: ${where}: "${method}" is not a method in vocabulary.yaml — use one of its keys`,
      );
  };
  const kinds = Object.entries(parsed.data.kinds).map(([id, kind]): ChallengeKind => {
    kind.methods.forEach((method) => checkMethod(`kinds.${id}.methods`, method));
    for (const entry of kind.entries)
      if (!entryIds.has(entry))
        problems.push(
          `${path}: kinds.${id}.entries: "${entry}" is not an entry id — use a file name without .md`,
        );
    return {
      id,
      label: kind.label,
      cues: kind.cues.map((text) => ({ phrase: contentPhrase(text), text })),
      methods: kind.methods,
      entries: kind.entries,
    };
  });
  parsed.data.methods_needing_mention.forEach((method) => checkMethod('methods_needing_mention', method));
  if (problems.length > 0) throw new NavigatorError('knowledge_invalid', problems.join('\n'));
  const padded = (phrases: string[]) => phrases.map((phrase) => ` ${tokenize(phrase).join(' ')} `);
  return {
    kinds,
    methodsNeedingMention: new Set(parsed.data.methods_needing_mention),
    personalMatters: padded(parsed.data.personal_matters),
    publicWork: padded(parsed.data.public_work),
  };
}

/**
 * A phrase as padded content words: "nobody is responsible" and a translated "nobody responsible"
 * meet, since function words are dropped on both sides.
 */
function contentPhrase(text: string): string {
  const tokens = tokenize(text);
  const content = tokens.filter((word) => !stopWords.has(word));
  // "does it work" must not shrink to "work": a cue keeps its function words when they carry it.
  return ` ${(content.length >= 2 || content.length === tokens.length ? content : tokens).join(' ')} `;
}

const wordCount = (cue: string) => cue.trim().split(' ').length;

/**
 * The kinds whose cues appear in a message, with the cue that matched: most cues first, and on a
 * tie the kind with the longer cue, since a phrase ("residents decide") says more than one broad
 * word ("budget").
 */
export function kindsOf(text: string, kinds: ChallengeKinds): { kind: ChallengeKind; cue: string }[] {
  const words = `${contentPhrase(text)}${` ${tokenize(text).join(' ')} `}`;
  return kinds.kinds
    .map((kind) => {
      const matches = kind.cues
        .filter(({ phrase }) => words.includes(phrase))
        .sort((a, b) => wordCount(b.phrase) - wordCount(a.phrase));
      return { kind, matches };
    })
    .filter(({ matches }) => matches.length > 0)
    .sort(
      (a, b) =>
        b.matches.length - a.matches.length ||
        wordCount(b.matches[0]!.phrase) - wordCount(a.matches[0]!.phrase),
    )
    .map(({ kind, matches }) => ({ kind, cue: matches[0]!.text }));
}

/** True for a message about the asker's private life that says nothing of public work. */
export function isPersonalMatter(text: string, kinds: ChallengeKinds): boolean {
  const words = ` ${tokenize(text).join(' ')} `;
  const personal = kinds.personalMatters.some((cue) => words.includes(cue));
  return personal && !kinds.publicWork.some((cue) => words.includes(cue));
}
