// squid's NTLM helper for the tests: a real NTLMv2 check (squid's own ntlm_fake_auth accepts any
// password and sends a challenge strict clients reject). squid starts it as user `proxy` and talks the
// stateful helper protocol on stdin/stdout: "YR <Type 1>" → "TT <Type 2>", "KK <Type 3>" → "OK user=…"
// or "ERR". The check is the independent one of proxy-servers.ts. Accounts come from a JSON file.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { challengeMessage, verifyType3, type NtlmAccount } from './proxy-servers.js';

const accounts = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as NtlmAccount[];
let challenge: Buffer | undefined;

function user(type3: Buffer): string {
  const field = (at: number): Buffer => type3.subarray(type3.readUInt32LE(at + 4), type3.readUInt32LE(at + 4) + type3.readUInt16LE(at));
  return `${field(28).toString('utf16le')}+${field(36).toString('utf16le')}`;
}

for await (const line of createInterface({ input: process.stdin })) {
  const [kind, token] = line.trim().split(/\s+/);
  const msg = Buffer.from(token ?? '', 'base64');
  if (kind === 'YR') {
    challenge = randomBytes(8);
    process.stdout.write(`TT ${challengeMessage(challenge, 'CORP').toString('base64')}\n`);
  } else if (kind === 'KK' && challenge && msg.length > 44 && verifyType3(msg, challenge, accounts)) {
    process.stdout.write(`OK user=${user(msg)}\n`);
    challenge = undefined;
  } else {
    process.stdout.write('ERR message="NTLMv2 check failed"\n');
    challenge = undefined;
  }
}
