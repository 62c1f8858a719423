import type { Intent } from '../answer.js';
import { concat, either, group, regex } from '../patterns.js';

/** The asks a message can make, in the order a message may make several of them. */
export type AskIntent = Exclude<Intent, 'entry_detail' | 'portfolio' | 'help'>;

const askPatterns: { intent: AskIntent; pattern: RegExp }[] = [
  {
    intent: 'skills',
    pattern: regex(
      'i',
      /\b/,
      group(
        /skills?|skillset|competenc\w*|capabilit\w*|training|upskill\w*|reskill\w*|role profiles?/,
        /my team (lacks?|needs?|is missing)|team (lacks?|is missing)|which (skill|competenc)/,
        /what (does|should) (a|an|my|our) \w+ (need|know)/,
        /(get|become|be) better at|improve (at|my|our)/,
        /(develop|build|strengthen) (my|our) (abilit|capacit)\w*/,
      ),
    ),
  },
  {
    intent: 'peer_cases',
    pattern: regex(
      'i',
      /\b/,
      group(
        concat(
          /(find|show|list|give|share|point me to)( me| us)?/,
          / (some |any |a few )?(cases|examples|peers|case studies)/,
        ),
        /who (else )?(has|have|did|is|are|was|were)\b/,
        /who (else )?(runs?|uses?|does|offers?|operates?|publishes|lets|allows|funds|pays)\b/,
        concat(
          /has (any|anyone|anybody|someone|any \w+)/,
          / (done|tried|made|built|used|run|set up|introduced|implemented)/,
        ),
        /ha(s|ve) (any|other) (countr|cit|government|ministr|municipalit|region|state|agenc|public)\w*/,
        /have (other|any) \w+ (done|tried|used)/,
        /any\b[^.?!]{0,60}\b(examples?|cases?|peers?|case studies)\b|examples\s*\?/,
        /examples? (of|from|in|where)|case stud(y|ies)|peer (cases?|match\w*)/,
        /which (countries|cities|governments|ministries|municipalities|regions|agencies)/,
        /other (countries|cities|governments|ministries|municipalities)|learn from/,
        /done (this|that|something similar|anything similar)|something similar|anything similar/,
        /similar (cases?|projects?|challenges?|initiatives?)|anyone (else )?(done|tried|doing)/,
        /(is|are) (anyone|anybody) (doing|using)|where (has|have) .{0,40}(been )?(done|tried|used)/,
      ),
    ),
  },
  {
    intent: 'peer_cases',
    // "RCTs run by local government - any?", "algorithm registers in Asia, anyone?"
    pattern: /[-–—,:]\s*(any|anyone|anybody|examples?|cases?)\s*\?*\s*$/i,
  },
  {
    intent: 'recommend_methods',
    pattern: regex(
      'i',
      either(
        /\b(which|what) (methods?|toolkits?|tools?|approach\w*|techniques?|frameworks?|methodolog\w*)\b/,
        /\b(methods?|toolkits?|tools?|approach(es)?|frameworks?) (for|to|that|we could)\b/,
        /\brecommend\w*\b|\bsuggest\w*\b|\badvi[cs]e\b/,
        /\bhow (can|should|do|could|might|would) (we|i|a team|an agency|a ministry)\b/,
        /\bwhere (do|should|to) (we|i)? ?start\b/,
        /\bhow to (start|begin|get started|approach|tackle|design|run|set up|make)\b/,
        /\bfits? (a|an|our|my|this)\b|\bbest way to\b|\bwhat (should|could|can) we do\b/,
        /\b(responsible|right|good|safe|ethical|sensible|proper) way to\b/,
        /\bwhat (helps|would help|could help|works|has worked)\b/,
        /\bany (ideas|tips|advice)\b/,
        concat(
          /\b(is there|are there|any|know of)\b[^.?!]{0,40}/,
          /\b(guides?|toolkits?|handbooks?|frameworks?|playbooks?|methods?|tools?)\b/,
        ),
      ),
    ),
  },
  {
    intent: 'question',
    pattern: regex(
      'i',
      /\b/,
      group(
        /what (is|are|does|do) (a |an |the )?|what's |whats |explain|define|definition of|meaning of/,
        /what .{0,40} mean\b|tell me about|difference between|why (is|are|do|does|should)/,
      ),
    ),
  },
];

const helpPattern = regex(
  'i',
  /^/,
  group(
    /help|hi|hello|hey|hiya|good (morning|afternoon|evening)/,
    /what can you do|how do i use this|who are you|what are you/,
  ),
  /\b[\s?!.]*$/,
);

/** True for a message that only greets or asks what the assistant can do. */
export function isHelpRequest(text: string): boolean {
  return helpPattern.test(text.trim());
}

/**
 * The asks in a message, in the order they are made ("what would you recommend, and has anyone
 * done something similar?" → methods, then peers). A concept question next to a concrete ask
 * ("what is a living lab and who runs one?") keeps both. Nothing recognised → a question.
 */
// "people who are offline or low on digital skills": the public's skills are the challenge, not a
// team's to build. Said of a team or staff as well, they are asked about after all.
const publicSkills = regex(
  'i',
  /\b/,
  group(
    /people|citizens|residents|users|customers|clients|patients|pensioners|seniors|elderly/,
    /older adults|the public|families|jobseekers/,
  ),
  /\b/,
);
const skillsWord = /\bskills?\b/i;
const teamWords = regex(
  'i',
  /\b/,
  group(
    /team|teams|staff|colleagues|civil servants|public servants/,
    /officials|employees|workforce|we need|we lack/,
  ),
  /\b/,
);

/** Whether the skills a sentence names are the public's: a public word shortly before "skills". */
function aboutPublicSkills(text: string): boolean {
  if (teamWords.test(text)) return false;
  const publicWord = publicSkills.exec(text);
  if (!publicWord) return false;
  const after = text.slice(publicWord.index, publicWord.index + 80);
  return skillsWord.test(after.replace(/[.?!].*$/, ''));
}

export function readIntents(askText: string): AskIntent[] {
  const aboutThePublic = aboutPublicSkills(askText);
  const found = askPatterns
    .filter(({ intent }) => !(intent === 'skills' && aboutThePublic))
    .map(({ intent, pattern }) => ({ intent, index: pattern.exec(askText)?.index ?? -1 }))
    .filter(({ index }) => index >= 0)
    .sort((a, b) => a.index - b.index)
    .map(({ intent }) => intent);
  if (found.length === 0) return ['question'];
  // "How do I get better at persuading…" asks how to grow a skill, not for a method.
  if (growthAsk.test(askText) && !methodsNamed.test(askText))
    return [...new Set(found.filter((intent) => intent !== 'recommend_methods' && intent !== 'question'))];
  // "What methods…" also reads as "what are…": the concrete ask wins over the concept.
  const concrete = found.filter((intent) => intent !== 'question');
  if (concrete.length > 0 && /\bwhat (is|are) (the )?(best|good|right)\b/i.test(askText)) return concrete;
  return concrete.length > 0 && !conceptAsked(askText) ? concrete : found.slice(0, 3);
}

const growthAsk = /\b((get|become|be) better at|improve (at|my)|(develop|build|strengthen) my)\b/i;
const methodsNamed = /\b(methods?|toolkits?|tools?|frameworks?|techniques?)\b/i;

// A concept question that stands as its own ask, not "what are the methods…" or "what is the best way".
const conceptQuestion = regex(
  'i',
  /\b/,
  group(
    /what (is|are) (a|an)\b|what does .{1,40} mean|explain|define|definition of/,
    /difference between|what's (a|an)\b|what (is|are) (it|they|that|this)\b/,
  ),
);

function conceptAsked(text: string): boolean {
  return conceptQuestion.test(text);
}

const ordinals: Record<string, number> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
  fifth: 5,
  '5th': 5,
  last: -1,
};

// "more about the second", "details on number 3", "open #2".
const moreAboutOrdinal = regex(
  'i',
  /\b(?:more (?:about|on|details? (?:on|about))|details? (?:on|about|of)|expand on|open|explain)\s+/,
  /(?:the\s+)?(?:number\s+|#)?(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|\d)\b/,
);

/** The position asked about in "tell me more about the second one", if any (-1 for the last). */
export function readOrdinal(text: string): number | undefined {
  const match =
    moreAboutOrdinal.exec(text) ??
    /^\s*(?:and\s+)?(?:the\s+)?(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+one\b/i.exec(
      text,
    ) ??
    /\b(?:the\s+)(first|second|third|fourth|fifth|last)\s+one\b/i.exec(text);
  if (!match) return undefined;
  const word = match[1]!.toLowerCase();
  return ordinals[word] ?? Number(word);
}

/** Lines that look like a list of projects (bullets, numbers, or several short lines). */
export function readPortfolioLines(text: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const items = lines
    .filter((line) => /^([-*•–]|\d+[.)])\s+/.test(line))
    .map((line) => line.replace(/^([-*•–]|\d+[.)])\s+/, '').trim());
  if (items.length >= 2) return items;
  if (lines.length >= 3 && /portfolio|projects?|initiatives?/i.test(lines[0]!)) return lines.slice(1);
  return [];
}
