import type { LicensePayload } from '../../src/common/license/model.js';
import { createLicenseSigner, createLicenseVerifier, generateKeyPair } from '../../src/services/license/signer.js';

/** A payload valid on 2026-03-01 for serial SN-1001, maintenance 2026-01-01 – 2026-06-30. */
export function samplePayload(overrides: Partial<LicensePayload> = {}): LicensePayload {
  return {
    licenseId: 'LIC-1001-1',
    serial: 'SN-1001',
    serviceOrganisation: 'SO-42',
    seq: 1,
    issuedAt: '2026-01-01T09:00:00Z',
    notBefore: '2026-01-01T09:00:00Z',
    expiry: '2026-12-31',
    maintenance: { start: '2026-01-01', end: '2026-06-30' },
    product: 'PrintPrep Pro',
    features: [{ id: 'imposition' }],
    users: 5,
    graceDays: 14,
    ...overrides,
  };
}

export const MARCH_1_2026 = Date.parse('2026-03-01T12:00:00Z');

/** A fresh vendor key pair with a signer and a verifier that trusts it. */
export function vendor() {
  const keys = generateKeyPair();
  const signer = createLicenseSigner(keys.privateKeyPem, keys.kid);
  const verifier = createLicenseVerifier([{ kid: keys.kid, publicKeyPem: keys.publicKeyPem }]);
  return { keys, signer, verifier };
}
