// How the service recognises one person's accounts on several platforms.
export interface IdentitySettings {
  /** Offer members to link an account on the other platform that looks like theirs. */
  offerLinks: boolean;
  /** Compare e-mail addresses too (as hashes), where a platform gives them to an admin key. */
  matchByEmail: boolean;
  /** An offer nobody answered in this many days counts as ignored (each pair is offered once). */
  answerDays: number;
  /** Most offers sent in one scheduled round, so a first start does not message everyone at once. */
  offersPerRound: number;
  /** Most accounts whose e-mail is asked for in one scheduled round (API calls). */
  emailChecksPerRound: number;
}

export const DEFAULT_IDENTITY_SETTINGS: IdentitySettings = {
  offerLinks: true,
  matchByEmail: false,
  answerDays: 14,
  offersPerRound: 20,
  emailChecksPerRound: 20,
};

export const identitySettings = (settings: { identity?: Partial<IdentitySettings> | undefined }): IdentitySettings => ({
  ...DEFAULT_IDENTITY_SETTINGS,
  ...settings.identity,
});
