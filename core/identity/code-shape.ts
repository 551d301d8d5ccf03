// What a one-time link code looks like, in one place: the code generator and the command parser
// must agree, or a code the bot gave out reads as "link" (yes to an offer) instead of a proof.

/** Letters and digits that cannot be misread for each other (no I, O, 0 or 1). */
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 8;

const FROM_ALPHABET = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`, 'i');
/** Letters with a digit: a mistyped code still gets "I don't know the code" rather than silence. */
const WITH_DIGIT = /^(?=[a-z]*\d)[a-z0-9]{4,12}$/i;

/** Whether a word after "link" is a code (or a mistyped one) rather than a few words of answer. */
export const looksLikeLinkCode = (word: string): boolean => FROM_ALPHABET.test(word) || WITH_DIGIT.test(word);
