import { renderSkills } from '../compose-answer.js';
import type { CitationList } from '../citations.js';
import { adviseSkills } from '../recommend.js';
import { emptySection, type PlanInput, type PlannedSection } from '../stages/plan.js';

/** The core skills a team or role needs for the situation described, with toolkits to build them. */
export async function planSkills(input: PlanInput, citations: CitationList): Promise<PlannedSection> {
  const named = input.named.filter((entry) => entry.type === 'skill').map((entry) => entry.id);
  const skills = await adviseSkills(input.context, input.topic, 3, named);
  const lines = [
    'These skills matter most for the situation you describe:',
    '',
    ...renderSkills(skills, citations, input.records),
  ];
  if (!input.combined)
    lines.push(
      '',
      "They come from the OECD's six core skills for public sector innovation; " +
        'not everyone needs all of them every day, but a team should cover them between its members.',
    );
  return {
    ...emptySection('skills', lines, skills.length > 0),
    skills,
    followUps: ['Which toolkits help build these skills?', 'What are the six core skills?'],
  };
}
