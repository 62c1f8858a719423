import { renderSkills } from '../compose-answer.js';
import type { CitationList } from '../citations.js';
import { group, regex } from '../patterns.js';
import { adviseSkills, coreSkills } from '../recommend.js';
import { emptySection, type PlanInput, type PlannedSection } from '../stages/plan.js';

// A learning path or "innovation skills" for everyone asks for the whole model, not one skill.
const askedForTheModel = regex(
  'i',
  /\b/,
  group(
    /innovation skills|core skills|skills? (for|in) innovation|curricul\w*/,
    /learning (path|programme|program|journey)|training (programme|program|plan|offer)/,
    /(all|every|our \d+) (staff|employees|civil servants|public servants)/,
  ),
  /\b/,
);

/** The core skills a team or role needs for the situation described, with toolkits to build them. */
export async function planSkills(input: PlanInput, citations: CitationList): Promise<PlannedSection> {
  const named = input.named.filter((entry) => entry.type === 'skill').map((entry) => entry.id);
  const wholeModel = named.length === 0 && askedForTheModel.test(input.english);
  const skills = wholeModel
    ? coreSkills(input.context, 6, true)
    : await adviseSkills(input.context, input.topic, 3, named);
  const model = input.records.get('oecd-core-skills-model');
  const lines = wholeModel
    ? [
        `The OECD's six core skills for public sector innovation` +
          `${model ? ` [${citations.cite(model)}]` : ''} ` +
          'are the usual backbone of such a programme:',
      ]
    : ['These skills matter most for the situation you describe:'];
  lines.push('', ...renderSkills(skills, citations, input.records));
  if (!input.combined && !wholeModel && skills.every((skill) => isCore(input, skill.id)))
    lines.push(
      '',
      "They come from the OECD's six core skills for public sector innovation; " +
        'not everyone needs all of them every day, but a team should cover them between its members.',
    );
  else if (!input.combined && wholeModel)
    lines.push('', 'Not everyone needs all six every day; a team should cover them between its members.');
  return {
    ...emptySection('skills', lines, skills.length > 0),
    skills,
    followUps: ['Which toolkits help build these skills?', 'What are the six core skills?'],
  };
}

function isCore(input: PlanInput, id: string): boolean {
  const entry = input.context.entries.get(id);
  return entry?.type === 'skill' && entry.kind === 'core-skill';
}
