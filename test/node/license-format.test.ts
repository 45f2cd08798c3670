import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { CodedError } from '../../src/common/errors.js';
import { assertLicenseValid, licenseState, mayInstallRelease } from '../../src/common/license/validity.js';
import { entitlementChanges, isNotWorse, losses } from '../../src/common/license/compare.js';
import { changesMessage, stateMessage } from '../../src/common/license/describe.js';
import { messages } from '../../src/common/messages/index.js';

const describeChanges = (l: 'en' | 'de', c: Parameters<typeof changesMessage>[0]) => messages.format(l, 'license.diff', { changes: changesMessage(c) });
import { createLicenseVerifier, generateKeyPair } from '../../src/services/license/signer.js';
import { MAX_LICENSE_BYTES } from '../../src/services/license/armour.js';
import { MARCH_1_2026, samplePayload, vendor } from '../support/license-fixtures.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof CodedError, `expected a CodedError, got ${String(e)}`);
    return e.code;
  }
  return 'accepted';
}

const WS = new Set([0x20, 0x09, 0x0d, 0x0a]);

describe('license format', () => {
  const { signer, verifier, keys } = vendor();
  const text = signer.sign(samplePayload());

  it('round-trips a payload through sign and verify unchanged', () => {
    const v = verifier.verify(text);
    assert.deepEqual(v.payload, samplePayload());
    assert.equal(v.kid, keys.kid);
    assert.match(text, /^-----BEGIN ORS LICENSE-----\n[A-Za-z0-9+/=\n]+\n-----END ORS LICENSE-----\n$/);
  });

  it('accepts the license re-wrapped, indented and with CRLF line ends', () => {
    const body = text.split('\n').slice(1, -2).join('');
    const rewrapped = `\r\n  -----BEGIN ORS LICENSE-----\r\n${body.match(/.{1,40}/g)!.map((l) => `  ${l}`).join('\r\n')}\r\n-----END ORS LICENSE-----  \r\n\r\n`;
    assert.deepEqual(verifier.verify(rewrapped).payloadBytes, verifier.verify(text).payloadBytes);
  });

  it('rejects every single-byte change, except whitespace for whitespace which keeps the payload bytes', () => {
    const original = Buffer.from(text, 'latin1');
    const originalPayload = Buffer.from(verifier.verify(original).payloadBytes);
    const check = (pos: number, byte: number): void => {
      const mutated = Buffer.from(original);
      mutated[pos] = byte;
      let accepted: Buffer | undefined;
      try {
        accepted = Buffer.from(verifier.verify(mutated).payloadBytes);
      } catch (e) {
        assert.ok(e instanceof CodedError && e.code.startsWith('license.'), `position ${pos}: ${String(e)}`);
        return;
      }
      assert.ok(WS.has(original[pos]!) && WS.has(byte), `position ${pos} byte ${byte} was accepted`);
      assert.deepEqual(accepted, originalPayload);
    };
    // Every position, with a deterministic flip of the lowest bit…
    for (let pos = 0; pos < original.length; pos++) check(pos, original[pos]! ^ 0x01);
    // …and random replacements anywhere.
    fc.assert(
      fc.property(fc.nat(original.length - 1), fc.integer({ min: 0, max: 255 }), (pos, byte) => {
        fc.pre(byte !== original[pos]);
        check(pos, byte);
      }),
      { numRuns: 4000 },
    );
  });

  it('rejects a license signed by a key it does not trust as license.unknown-kid', () => {
    const other = createLicenseVerifier([generateKeyPair().publicKeyPem]);
    assert.equal(codeOf(() => other.verify(text)), 'license.unknown-kid');
  });

  it('rejects a license whose kid names a trusted key but was signed by another key', () => {
    const impostor = vendor();
    const forged = impostor.signer.sign(samplePayload({ users: 500 }));
    const trustsBoth = createLicenseVerifier([
      { kid: impostor.keys.kid, publicKeyPem: keys.publicKeyPem },
    ]);
    assert.equal(codeOf(() => trustsBoth.verify(forged)), 'license.signature-invalid');
  });

  it('rejects a truncated license', () => {
    assert.equal(codeOf(() => verifier.verify(text.slice(0, text.length - 40))), 'license.malformed');
    assert.equal(codeOf(() => verifier.verify(text.slice(0, 200))), 'license.malformed');
    // A whole line missing still decodes (64 base64 characters are 48 bytes) but no longer matches the signature.
    const lines = text.split('\n');
    lines.splice(3, 1);
    assert.equal(codeOf(() => verifier.verify(lines.join('\n'))), 'license.signature-invalid');
  });

  it('rejects a megabyte of garbage before parsing it', () => {
    assert.equal(codeOf(() => verifier.verify(randomBytes(1024 * 1024))), 'license.too-large');
    assert.equal(codeOf(() => verifier.verify(`${text}${' '.repeat(MAX_LICENSE_BYTES)}`)), 'license.too-large');
    assert.equal(codeOf(() => verifier.verify(randomBytes(4000))), 'license.malformed');
  });

  it('verifies with any key of a rotated key ring', () => {
    const next = vendor();
    const ring = createLicenseVerifier([keys.publicKeyPem, next.keys.publicKeyPem]);
    assert.equal(ring.verify(text).kid, keys.kid);
    assert.equal(ring.verify(next.signer.sign(samplePayload({ seq: 2 }))).payload.seq, 2);
  });

  it('refuses to sign a payload the verifier would reject, naming the field', () => {
    const e = (() => {
      try {
        signer.sign(samplePayload({ maintenance: { start: '2026-01-01', end: '2026-02-30' } }));
      } catch (err) {
        return err as CodedError;
      }
      return undefined;
    })();
    assert.equal(e?.code, 'license.payload-invalid');
    assert.equal(e?.params['field'], 'maintenance.end');
  });
});

describe('license validity', () => {
  const now = MARCH_1_2026;

  it('accepts a current license for its serial', () => {
    assert.doesNotThrow(() => assertLicenseValid(samplePayload(), { now, serial: 'SN-1001' }));
  });

  it('rejects a license for another serial', () => {
    assert.equal(codeOf(() => assertLicenseValid(samplePayload(), { now, serial: 'SN-9999' })), 'license.wrong-serial');
  });

  it('tolerates clock drift but rejects a license issued in the future beyond it', () => {
    const soon = new Date(now + 60_000).toISOString();
    assert.doesNotThrow(() => assertLicenseValid(samplePayload({ issuedAt: soon, notBefore: soon }), { now }));
    const later = new Date(now + 3600_000).toISOString();
    assert.equal(codeOf(() => assertLicenseValid(samplePayload({ issuedAt: later, notBefore: later }), { now })), 'license.issued-in-future');
    assert.equal(codeOf(() => assertLicenseValid(samplePayload({ notBefore: later }), { now })), 'license.not-yet-valid');
  });

  it('keeps an expired license usable during its grace days, then rejects it as expired', () => {
    const p = samplePayload({ expiry: '2026-02-20', graceDays: 14 });
    assert.doesNotThrow(() => assertLicenseValid(p, { now }));
    assert.equal(licenseState(p, { now }).kind, 'in-grace');
    const after = Date.parse('2026-03-07T00:00:00Z');
    assert.equal(codeOf(() => assertLicenseValid(p, { now: after })), 'license.expired');
    assert.equal(licenseState(p, { now: after }).kind, 'expired');
    assert.doesNotThrow(() => assertLicenseValid(samplePayload({ expiry: 'perpetual' }), { now: Date.parse('2099-01-01T00:00:00Z') }));
  });

  it('reports the display state: expiring, maintenance ending, ended, none, invalid', () => {
    assert.deepEqual(licenseState(samplePayload(), { now }), { kind: 'valid' });
    assert.equal(licenseState(samplePayload({ expiry: '2026-03-20' }), { now }).kind, 'expires-soon');
    assert.equal(licenseState(samplePayload(), { now: Date.parse('2026-06-10T00:00:00Z') }).kind, 'maintenance-ends-soon');
    assert.equal(licenseState(samplePayload(), { now: Date.parse('2026-07-01T00:00:00Z') }).kind, 'maintenance-ended');
    assert.equal(licenseState(undefined, { now }).kind, 'none');
    const invalid = licenseState(samplePayload(), { now, serial: 'SN-2' });
    assert.equal(invalid.kind, 'invalid');
    assert.match(messages.formatMessage('de', stateMessage(invalid)), /ungültige Datei: Die Lizenz gilt für die Seriennummer SN-1001, nicht für SN-2/);
  });
});

describe('release check (F6)', () => {
  const now = MARCH_1_2026;
  const p = samplePayload();

  it('allows a release inside the maintenance period', () => {
    assert.equal(mayInstallRelease(p, '2026-03-15', { now, serial: 'SN-1001' }).allowed, true);
  });

  it('allows a release on the first and on the last day of maintenance', () => {
    assert.equal(mayInstallRelease(p, '2026-06-30', { now }).allowed, true);
    assert.equal(mayInstallRelease(p, '2026-01-01', { now }).allowed, true);
  });

  it('denies a release after the maintenance period, saying why', () => {
    const d = mayInstallRelease(p, '2026-07-01', { now });
    assert.equal(d.allowed, false);
    assert.equal(!d.allowed && d.reason.code, 'license.release-outside-maintenance');
  });

  it('denies any release when the license is for another serial', () => {
    const d = mayInstallRelease(p, '2026-03-15', { now, serial: 'SN-7' });
    assert.equal(!d.allowed && d.reason.code, 'license.wrong-serial');
  });
});

describe('entitlement comparison', () => {
  const before = samplePayload();

  it('describes an extension in English and German', () => {
    const after = samplePayload({ seq: 2, users: 7, maintenance: { start: '2026-01-01', end: '2027-06-30' }, features: [{ id: 'imposition' }, { id: 'color-proof' }] });
    const changes = entitlementChanges(before, after);
    assert.ok(isNotWorse(before, after));
    assert.equal(describeChanges('en', changes), 'maintenance until 30 Jun 2027 (was 30 Jun 2026); 2 more users; new feature color-proof');
    assert.equal(describeChanges('de', changes), 'Wartung bis 30.06.2027 (bisher 30.06.2026); 2 Benutzer mehr; neue Option color-proof');
  });

  it('lists what a worse license takes away', () => {
    const after = samplePayload({ seq: 2, users: 3, expiry: '2026-10-31', features: [] });
    assert.deepEqual(losses(before, after).map((c) => c.kind).sort(), ['expiry', 'feature-removed', 'users']);
    assert.equal(isNotWorse(before, after), false);
  });

  it('treats a limited feature count and an earlier maintenance end as worse', () => {
    assert.equal(isNotWorse(before, samplePayload({ features: [{ id: 'imposition', count: 2 }] })), false);
    assert.equal(isNotWorse(before, samplePayload({ maintenance: { start: '2026-01-01', end: '2026-05-31' } })), false);
    assert.equal(isNotWorse(before, samplePayload({ expiry: 'perpetual' })), true);
  });
});
