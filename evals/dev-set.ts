import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../src/paths.js';

const questionSchema = z.object({ q: z.string().min(5), relevant: z.array(z.string()).min(1) });
export type DevQuestion = z.infer<typeof questionSchema>;

export const devSetPath = join(projectRoot(), 'evals', 'retrieval-dev-set.jsonl');

/** Practitioner questions with the ids of the entries that answer them. */
export function loadDevSet(path = devSetPath): DevQuestion[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, index) => {
      const parsed = questionSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${index + 1}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}
