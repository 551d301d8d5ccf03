// Run by crypto-store.test.ts as a separate process, then killed with SIGKILL: the bot's device
// (store in argv[2]) receives a Megolm room key from Alice and decrypts her message; the child
// prints what the parent needs to check after the kill, and waits without closing anything.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyServer, Party } from './support.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: kill-child.ts <store directory>');
const server = new KeyServer();
const bot = await Party.start(server, '@bot:example.org', 'BOTDEVICE', dir, ['!room:example.org']);
const alice = await Party.start(server, '@alice:example.org', 'ALICEPHONE', mkdtempSync(join(tmpdir(), 'co-agent-crypto-alice-')), ['!room:example.org']);
await bot.sync();
const body = 'Is anyone here who knows the pump controller?';
const event = await alice.encrypt('!room:example.org', body);
await bot.sync();
const clear = await bot.decrypt('!room:example.org', '@alice:example.org', event);
if (clear.body !== body) throw new Error('the child could not decrypt');
process.stdout.write(`READY ${JSON.stringify({ curve: bot.curve, ed: bot.ed, event, body })}\n`);
// Stay alive, with the store open, until killed.
setInterval(() => undefined, 60_000);
