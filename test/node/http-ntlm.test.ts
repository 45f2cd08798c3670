import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createAuthenticateMessage,
  createNegotiateMessage,
  ntlmv2Responses,
  ntowfv2,
  parseChallengeMessage,
} from '../../src/services/http/ntlm.js';

// MS-NLMP 4.2.4 (NTLMv2 authentication) published test vector.
const avPairs = Buffer.concat([
  Buffer.from([0x02, 0x00, 0x0c, 0x00]),
  Buffer.from('Domain', 'utf16le'),
  Buffer.from([0x01, 0x00, 0x0c, 0x00]),
  Buffer.from('Server', 'utf16le'),
  Buffer.from([0x00, 0x00, 0x00, 0x00]),
]);

describe('NTLMv2 messages', () => {
  it('computes NTOWFv2 and NTProofStr of the MS-NLMP 4.2.4 example', () => {
    assert.equal(ntowfv2('Password', 'User', 'Domain').toString('hex'), '0c868a403bfd7a93a3001ef22ef02e3f');
    const { ntProofStr, lmResponse } = ntlmv2Responses({
      username: 'User',
      password: 'Password',
      domain: 'Domain',
      challenge: { flags: 0, serverChallenge: Buffer.from('0123456789abcdef', 'hex'), targetInfo: avPairs, targetName: 'Domain' },
      clientChallenge: Buffer.from('aaaaaaaaaaaaaaaa', 'hex'),
      timestamp: Buffer.alloc(8),
    });
    assert.equal(ntProofStr.toString('hex'), '68cd0ab851e51c96aabc927bebef6a1c');
    assert.equal(lmResponse.toString('hex'), '86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
  });

  it('builds a Type 1 that starts with the NTLMSSP signature and type 1', () => {
    const m = createNegotiateMessage();
    assert.equal(m.subarray(0, 8).toString('latin1'), 'NTLMSSP\0');
    assert.equal(m.readUInt32LE(8), 1);
  });

  it('rejects a malformed challenge and parses a good one', () => {
    assert.throws(() => parseChallengeMessage(Buffer.from('NTLMSSP\0garbage')));
    const c = Buffer.alloc(48 + avPairs.length);
    c.write('NTLMSSP\0', 0, 'latin1');
    c.writeUInt32LE(2, 8);
    c.writeUInt32LE(0x00800001, 20);
    Buffer.from('0123456789abcdef', 'hex').copy(c, 24);
    c.writeUInt16LE(avPairs.length, 40);
    c.writeUInt16LE(avPairs.length, 42);
    c.writeUInt32LE(48, 44);
    avPairs.copy(c, 48);
    const parsed = parseChallengeMessage(c);
    assert.equal(parsed.serverChallenge.toString('hex'), '0123456789abcdef');
    assert.deepEqual(parsed.targetInfo, avPairs);
    const t3 = createAuthenticateMessage({ username: 'User', password: 'Password', domain: 'Domain', challenge: parsed });
    assert.equal(t3.readUInt32LE(8), 3);
    const userLen = t3.readUInt16LE(36);
    const userOff = t3.readUInt32LE(40);
    assert.equal(t3.subarray(userOff, userOff + userLen).toString('utf16le'), 'User');
  });
});
