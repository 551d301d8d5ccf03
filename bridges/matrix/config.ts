// The Matrix bridge's section of the configuration (`matrix:`), its secrets, and the check that
// it can log in: the bridge's part of the service's Config (bridges/config.ts composes it).
import { z } from 'zod';
import { expecting, httpUrl, positiveInt, type PlatformConfigSection, type SecretSpec, wholeNumber } from '../../core/config/index.js';

const roomIdOrAlias = () => {
  const e = expecting('a Matrix room id (!id:server) or alias (#name:server)');
  return z.string(e).regex(/^[!#][^:\s]+:\S+$/, e);
};

export const matrixSchema = z
  .strictObject({
    homeserverUrl: httpUrl()
      .meta({ examples: ['https://matrix.example.org'] })
      .describe("Base URL of the bot account's homeserver (client-server API)."),
    space: roomIdOrAlias()
      .meta({ examples: ['#community:example.org'] })
      .describe("The community's Space: the bot works in the rooms of this Space."),
    userId: z
      .string(expecting('a Matrix user id (@name:server)'))
      .regex(/^@[^:\s]+:\S+$/, expecting('a Matrix user id (@name:server)'))
      .optional()
      .meta({ examples: ['@coagent:example.org'] })
      .describe('The bot account, for password login (MATRIX_PASSWORD) when no MATRIX_ACCESS_TOKEN is set; the token it gets is kept in the database.'),
    allowRooms: z
      .array(roomIdOrAlias(), expecting('a list of room ids or aliases'))
      .default([])
      .describe('Rooms outside the Space the bot may also join and read (ids or aliases).'),
    backfill: wholeNumber()
      .default(500)
      .describe('Messages of history read from each room when the bot first joins it, so it knows past topics from day one (0: none).'),
    catchUpLimit: wholeNumber()
      .default(2000)
      .describe(
        'After a downtime, at most this many missed messages per room are fetched to fill the gap of a limited sync (older ones are logged as skipped).',
      ),
    smallRoomMaxMembers: positiveInt()
      .default(6)
      .describe(
        'A private room with at most this many members (the bot included) counts as a small room: messages there are direct contacts between its members.',
      ),
    encryption: z
      .boolean(expecting('true or false'))
      .default(true)
      .describe(
        'End-to-end encryption: the bot reads and answers in encrypted rooms, with its own device (cross-signed when it can be) and a crypto store next to the database (<database.path>.matrix-crypto; set MATRIX_CRYPTO_STORE_PASSPHRASE to seal it, else it is kept unsealed). If the crypto package cannot load, the service logs it and runs as with false. false: it says once in an encrypted room that it cannot read it, and stays quiet there.',
      ),
  })
  .optional()
  .describe('Matrix bridge. Leave out to run without Matrix.');

export const MATRIX_SECRETS: readonly SecretSpec[] = [
  {
    path: 'matrix.accessToken',
    env: 'MATRIX_ACCESS_TOKEN',
    required: false,
    description: "Access token of the bot's Matrix account (or use MATRIX_PASSWORD with matrix.userId).",
  },
  {
    path: 'matrix.cryptoStorePassphrase',
    env: 'MATRIX_CRYPTO_STORE_PASSPHRASE',
    required: false,
    description: "Passphrase the Matrix crypto store (matrix.encryption) is sealed with; keep it: without it the bot's device and keys cannot be opened.",
  },
  {
    path: 'matrix.crossSigningKeys',
    env: 'MATRIX_CROSS_SIGNING_KEYS',
    required: false,
    description:
      "Optional: the bot account's private cross-signing keys (the export `npm run matrix:cross-signing-keys` prints), imported instead of making new ones when the crypto store does not hold them (a new machine or store).",
  },
  {
    path: 'matrix.password',
    env: 'MATRIX_PASSWORD',
    required: false,
    description:
      "Password of the bot's Matrix account, for password login when no access token is set, and for the homeserver's password check when the bot replaces its cross-signing keys.",
  },
  {
    path: 'matrix.adminToken',
    env: 'MATRIX_ADMIN_TOKEN',
    required: false,
    description: "Optional: a homeserver admin's access token, only for `npm run doctor` to check the bot's rate-limit exemption.",
  },
];

/** The `matrix:` section as the service reads it: the file's values and the secrets. */
export type MatrixConfig = NonNullable<z.output<typeof matrixSchema>> & {
  accessToken?: string | undefined;
  password?: string | undefined;
  adminToken?: string | undefined;
  cryptoStorePassphrase?: string | undefined;
  crossSigningKeys?: string | undefined;
};

export const matrixConfigSection = {
  key: 'matrix',
  schema: matrixSchema,
  secrets: MATRIX_SECRETS,
  account: { one: 'a Matrix user id (@name:server)', many: 'Matrix user ids (@name:server)', example: '@alice:example.org' },
  // The bot logs in with a token, or with a password for its user id.
  check: (matrix: MatrixConfig) =>
    !matrix.accessToken && !(matrix.password && matrix.userId)
      ? ['matrix.accessToken: set environment variable MATRIX_ACCESS_TOKEN (or MATRIX_PASSWORD together with matrix.userId for password login)']
      : [],
} as const satisfies PlatformConfigSection<'matrix', typeof matrixSchema, MatrixConfig>;
