/**
 * The license model shared by every part of the product (contract in ARCHITECTURE.md, "License file").
 * Dates are ISO calendar dates (YYYY-MM-DD) or ISO timestamps as noted.
 */
export interface LicenseFeature {
  readonly id: string;
  /** Optional seat count for the feature. */
  readonly count?: number;
  /** Optional end date (YYYY-MM-DD) of the feature. */
  readonly expiry?: string;
}

export interface LicensePayload {
  readonly licenseId: string;
  readonly serial: string;
  readonly serviceOrganisation: string;
  /** Monotonic per serial: a higher seq supersedes a lower one. */
  readonly seq: number;
  /** licenseId of the license this one replaces, if any. */
  readonly supersedes?: string;
  /** ISO timestamp. */
  readonly issuedAt: string;
  /** ISO timestamp. */
  readonly notBefore: string;
  /** YYYY-MM-DD, or 'perpetual'. */
  readonly expiry: string;
  readonly maintenance: { readonly start: string; readonly end: string };
  readonly product: string;
  readonly features: readonly LicenseFeature[];
  readonly users: number;
  readonly graceDays: number;
}

/** The signed envelope inside the armour: `sig` signs a domain prefix plus the payload bytes as transmitted. */
export interface LicenseEnvelope {
  readonly v: 1;
  readonly alg: 'Ed25519';
  readonly kid: string;
  /** base64 of the payload JSON bytes exactly as signed. */
  readonly payload: string;
  /** base64 signature. */
  readonly sig: string;
}

/** Signs payloads into armoured license text. The back office and `ors license issue` use it. */
export interface LicenseSigner {
  readonly kid: string;
  sign(payload: LicensePayload): string;
}
