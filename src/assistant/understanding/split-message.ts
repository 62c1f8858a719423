import { anyOf, concat, either, regex } from '../patterns.js';

/** One sentence of a message and the part it plays. */
export interface MessageSentence {
  text: string;
  /** Greetings, thanks and sign-offs: never search terms. */
  isPleasantry: boolean;
  /** The asker introducing themselves: read for soft filters, never searched. */
  isSelfDescription: boolean;
  /** A question or a request (ends with "?", or asks for something). */
  isAsk: boolean;
}

const pleasantry = regex(
  'i',
  /^/,
  anyOf(
    concat(
      anyOf(
        /hi|hello|hey|hiya|dear|good (?:morning|afternoon|evening)|greetings|thanks?|thank you/,
        /many thanks|cheers|regards|best|kind regards/,
        /hope (?:you(?:'re| are| had| all)|all is|this finds|everyone|everybody|all of you)/,
        /sorry to bother|quick question|apologies/,
      ),
      /\b[^.?!]*[.?!]?/,
    ),
    concat(
      /(?:any help|all help|help|pointers?|input)\s+(?:is |would be )?/,
      /(?:much |greatly |very much )?(?:appreciated|welcome)[.!]?/,
    ),
    /thanks? in advance[.!]?/,
    /can (?:you|anyone|somebody|someone) help(?: me| us)?\s*\??/,
    /(?:@\S+\s*)+/,
  ),
  /$/,
);

const greetingPrefix = regex(
  'i',
  /^/,
  anyOf(
    concat(
      /(?:hi|hello|hey|hiya|dear|greetings|good (?:morning|afternoon|evening))/,
      /(?:\s+(?:all|everyone|everybody|team|folks|there|colleagues|navigator|psi navigator))?/,
      /\s*[,!.:;-]*\s+/,
    ),
    /quick question\s*[,:.-]*\s*/,
  ),
);

const selfIntroduction = regex(
  'i',
  /^/,
  anyOf(
    /i\s*'?\s*m|i am|my name is|i work|i lead|i run|i head|i manage/,
    /i\s*'?\s*ve just (?:joined|started)|i just (?:joined|started)|i recently joined|we\s*'?\s*re|we are/,
    /our (?:team|unit|office|lab|department) (?:is|sits|works)/,
  ),
  /\b/,
);

// A self-introduction that goes on to state the challenge ("…and we want to…") keeps that part.
const challengeTurn = regex(
  'i',
  // A translated message may drop the pronoun: "we are a municipality and want …".
  /\b(?:and|but|so)\s+(?:(?:we|i|our|my|the)\b.*)?/,
  /\b(?:want|need|try|trying|would like|plan|planning|struggl\w*|have to|must|looking|hope|wonder\w*)\b/,
);
// "…and I've been asked to design a learning path": the task given is the challenge.
const taskTurn = regex(
  'i',
  /\b(?:and|but|so)\s+(?:i|we)\s*(?:'?\s*ve|have|am|are|'?\s*m|'?\s*re)?\s*/,
  /(?:been\s+)?(?:asked|tasked|told|charged)\b/,
);

const askCue = regex(
  'i',
  either(
    /\?/,
    concat(
      /\b/,
      anyOf(
        /only|just|who|which|what|how|where|why|when|is there|are there|any|can you|could you|please/,
        /looking for|recommend|suggest|need|want|would like|help me|help us|tell me|show me|share/,
      ),
      /\b/,
    ),
  ),
);

/**
 * Splits a message into sentences and labels greetings, self-descriptions and asks, so that a
 * paragraph of background is answered on its challenge, not on every word in it.
 */
export function splitMessage(text: string): MessageSentence[] {
  const sentences = text
    .split(/\n+|(?<=[.?!])\s+(?=[\p{Lu}\p{N}"'“(¿¡@])/u)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
  return sentences.map((raw) => {
    // "Hi all, which toolkit…": the greeting goes, the ask stays.
    const sentence = raw.replace(greetingPrefix, '').trim() || raw;
    const self = selfIntroduction.test(sentence);
    const turn = self ? (challengeTurn.exec(sentence) ?? taskTurn.exec(sentence)) : null;
    return {
      text: turn ? sentence.slice(turn.index) : sentence,
      isPleasantry: pleasantry.test(raw) && (tokenCount(raw) <= 6 || !askCue.test(raw)),
      isSelfDescription: self && !turn,
      isAsk: askCue.test(sentence),
    };
  });
}

function tokenCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
