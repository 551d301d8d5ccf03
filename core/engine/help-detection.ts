// Is a message a problem or a request for help? An explicit mention of the bot always is;
// otherwise a confidence from wording cues and, when a vector is given, closeness to example
// requests versus example non-requests, so the workflow can choose to act or stay quiet.
import { dot } from './similar-topics.js';

export interface HelpDetectionInput {
  text: string;
  mentionsBot?: boolean;
  vector?: Float32Array;
}

export interface HelpDetection {
  isHelpRequest: boolean;
  confidence: number;
  reasons: string[];
}

/** Example requests and non-requests written for Co-Agent; embedded once at start-up. */
export const HELP_EXAMPLES = [
  'How do I handle a team member who keeps missing deadlines?',
  'Any advice on negotiating a budget increase with finance?',
  'We are struggling to hire senior engineers, what worked for you?',
  'Has anyone dealt with a difficult client who refuses to pay on time?',
  'I need help structuring our quarterly planning process.',
  'What is the best way to run a remote retrospective?',
  'Looking for recommendations for a good onboarding checklist.',
  'Our sales pipeline dried up this quarter and I am not sure what to do.',
  'Can someone explain how to split equity between cofounders?',
  'I am stuck choosing between two vendors for our CRM, any thoughts?',
  'My team is burning out and I do not know how to fix it.',
  'Should we raise a seed round now or wait another six months?',
];

export const NOT_HELP_EXAMPLES = [
  'Thanks everyone, that solved it!',
  'Great meeting today, see you all next week.',
  'I agree with the point above.',
  'You should talk to your accountant before signing anything.',
  'In my experience the best approach is to set clear expectations early.',
  'Here is the link to the slides from the workshop.',
  'Happy Friday! Enjoy the weekend.',
  'We launched the new product yesterday and the feedback has been great.',
  'I would recommend starting with a small pilot and measuring results.',
  'Congratulations on the promotion!',
  'The meeting is moved to 3pm tomorrow.',
  'Welcome to the community, glad to have you here.',
];

const QUESTION_START = /^(how|what|why|where|when|which|who|whom|can|could|should|would|is|are|does|do|did|has|have|any|anyone|anybody|is there|are there)\b/i;
const HELP_PHRASES =
  /\b(help|advice|advise|suggest(ion)?s?|recommend(ation)?s?|tips?|ideas?|best (way|practice)|how (do|can|should|would) (i|we)|any(one|body) (know|have|tried|dealt)|looking for|not sure|no idea|wondering|struggl\w*|stuck|confused|problem|issue|challenge|trouble|difficult|what (would|should) (i|we|you)|pointers?|thoughts\??)\b/i;
const ANSWER_CUES =
  /^(you (should|could|can|might|need)|i (would|'d|recommend|suggest|think)|in my experience|we (did|had|used)|try |have you (tried|considered))/i;
const THANKS = /^(thanks|thank you|thx|cheers|great|congrat|welcome|agreed?|\+1|lol|ok(ay)?)\b/i;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export interface HelpPrototypes {
  help: Float32Array;
  notHelp: Float32Array;
}

/** Mean vectors of the two example sets, for `detectHelpRequest`. */
export function buildHelpPrototypes(helpVectors: readonly Float32Array[], notHelpVectors: readonly Float32Array[]): HelpPrototypes {
  const mean = (vs: readonly Float32Array[]): Float32Array => {
    const m = new Float32Array(vs[0]?.length ?? 0);
    for (const v of vs) for (let i = 0; i < m.length; i++) m[i]! += v[i]! / vs.length;
    return m;
  };
  return { help: mean(helpVectors), notHelp: mean(notHelpVectors) };
}

/** Wording cues of a text: what the rule weighs, and what a learned model starts from. */
export interface HelpCues {
  /** Sentences that ask something. */
  questions: number;
  asksForHelp: boolean;
  readsLikeAdvice: boolean;
  shortThanks: boolean;
  veryShort: boolean;
}

export function helpCues(text: string): HelpCues {
  const sentences = text.split(/(?<=[.!?])\s+|\n+/).filter((s) => s.trim());
  return {
    questions: sentences.filter((s) => s.trim().endsWith('?') || QUESTION_START.test(s.trim())).length,
    asksForHelp: HELP_PHRASES.test(text),
    readsLikeAdvice: ANSWER_CUES.test(text),
    shortThanks: THANKS.test(text) && text.length < 120,
    veryShort: text.split(/\s+/).length < 4,
  };
}

/** The reasons a person can read, from the cues (and whether it resembles requests). */
function reasonsFor(cues: HelpCues, resemblesRequests: boolean): string[] {
  const reasons: string[] = [];
  if (cues.questions > 0) reasons.push('asks a question');
  if (cues.asksForHelp) reasons.push('asks for help or advice');
  if (cues.readsLikeAdvice) reasons.push('reads like advice to someone else');
  if (cues.shortThanks) reasons.push('short thanks or acknowledgement');
  if (resemblesRequests) reasons.push('resembles other requests for help');
  return reasons;
}

/** A model fitted on the community's own requests (see help-calibration.ts). */
export interface LearnedHelp {
  probability(text: string, vector: Float32Array, cues: HelpCues): number;
  threshold: number;
}

export function detectHelpRequest(input: HelpDetectionInput, prototypes?: HelpPrototypes, threshold = 0.5, learned?: LearnedHelp): HelpDetection {
  if (input.mentionsBot) return { isHelpRequest: true, confidence: 1, reasons: ['the bot was mentioned'] };
  const text = input.text.trim();
  if (!text) return { isHelpRequest: false, confidence: 0, reasons: ['empty message'] };
  const cues = helpCues(text);
  if (learned && input.vector) {
    const confidence = learned.probability(text, input.vector, cues);
    return { isHelpRequest: confidence >= learned.threshold, confidence, reasons: reasonsFor(cues, confidence >= learned.threshold) };
  }
  let z = -2.2;
  if (cues.questions > 0) z += 1.3 + 0.3 * Math.min(cues.questions - 1, 3);
  if (cues.asksForHelp) z += 1.0;
  if (cues.readsLikeAdvice) z -= 1.0;
  if (cues.shortThanks) z -= 1.5;
  if (cues.veryShort) z -= 1;
  let resembles = false;
  if (input.vector && prototypes) {
    const margin = dot(input.vector, prototypes.help) - dot(input.vector, prototypes.notHelp);
    z += 8 * margin;
    resembles = margin > 0.05;
  }
  const confidence = sigmoid(z);
  return { isHelpRequest: confidence >= threshold, confidence, reasons: reasonsFor(cues, resembles) };
}
