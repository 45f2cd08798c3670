/**
 * The back-office API contract shared by the reference back office and the ORS service's client.
 * The OpenAPI 3.1 document (src/backoffice/openapi.json) is the normative description; these
 * types mirror its schemas. Isomorphic: no node:* imports.
 */
import type { ErrorInfo } from '../errors.js';

export const BACKOFFICE_API_PREFIX = '/v1';

/** Longest long-poll the server holds (seconds); larger `wait` values are clamped. */
export const MAX_LONG_POLL_SECONDS = 60;

/** Largest request body the server reads (bytes). */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024;

/** `declined`: the administrator kept the current license instead of one that takes something away. */
export const RECEIPT_KINDS = ['installed', 'copied-remote', 'manual-pending', 'failed', 'declined'] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];

/** Error codes the back office answers with (body `{error: {code, params?, field?}}`). */
export const BackofficeErrorCode = {
  authInvalid: 'backoffice.auth.invalid-credentials',
  authLocked: 'backoffice.auth.locked',
  tokenMissing: 'backoffice.auth.token-missing',
  tokenInvalid: 'backoffice.auth.token-invalid',
  badJson: 'backoffice.request.bad-json',
  tooLarge: 'backoffice.request.too-large',
  unsupportedMediaType: 'backoffice.request.unsupported-media-type',
  invalidRequest: 'backoffice.request.invalid',
  notFound: 'backoffice.request.not-found',
  methodNotAllowed: 'backoffice.request.method-not-allowed',
  installationUnknown: 'backoffice.installation.unknown',
  licenseNone: 'backoffice.license.none',
  releaseUnknown: 'backoffice.release.unknown',
  overloaded: 'backoffice.overloaded',
  internal: 'backoffice.internal',
} as const;
export type BackofficeErrorCode = (typeof BackofficeErrorCode)[keyof typeof BackofficeErrorCode];

export interface ErrorResponse {
  readonly error: ErrorInfo;
}

/** POST /v1/sessions */
export interface SessionRequest {
  readonly organisationId: string;
  readonly verificationCode: string;
}
export interface SessionResponse {
  /** Bearer token for the other calls (`Authorization: Bearer …`). */
  readonly token: string;
  readonly organisationId: string;
  /** ISO timestamp after which the token is refused (401 token-invalid): authenticate again. */
  readonly expiresAt: string;
}

/** PUT /v1/installations/{serial} — register / heartbeat. */
export interface HeartbeatRequest {
  readonly productVersion?: string;
  readonly orsVersion?: string;
  readonly hostname?: string;
}
export interface InstallationResponse {
  readonly serial: string;
  readonly organisationId: string;
  readonly product: string;
  readonly productVersion: string | null;
  readonly orsVersion: string | null;
  readonly hostname: string | null;
  readonly createdAt: string;
  readonly lastSeenAt: string | null;
}

/** GET /v1/installations/{serial}/license[?wait=N] with If-None-Match; ETag = `"<licenseId>"`. */
export interface LicenseResponse {
  readonly licenseId: string;
  readonly serial: string;
  readonly seq: number;
  readonly kid: string;
  readonly issuedAt: string;
  /** The armoured, signed license file text exactly as issued. */
  readonly license: string;
}

/** GET /v1/installations/{serial}/entitlement */
export interface EntitlementResponse {
  readonly serial: string;
  readonly maintenance: { readonly start: string; readonly end: string };
  /** YYYY-MM-DD or 'perpetual'. */
  readonly expiry: string;
  readonly users: number;
  readonly features: readonly { readonly id: string; readonly count?: number; readonly expiry?: string }[];
  readonly graceDays: number;
  readonly updatedAt: string;
}

/** POST /v1/installations/{serial}/receipts */
export interface ReceiptRequest {
  readonly licenseId: string;
  readonly seq: number;
  readonly kind: ReceiptKind;
  /** Required for `failed`: an error code or short reason. */
  readonly reason?: string;
  readonly detail?: string;
}
export interface ReceiptResponse {
  readonly id: number;
  readonly serial: string;
  readonly licenseId: string;
  readonly seq: number;
  readonly kind: ReceiptKind;
  readonly reason: string | null;
  readonly receivedAt: string;
}

export interface Release {
  readonly product: string;
  readonly version: string;
  /** YYYY-MM-DD */
  readonly releaseDate: string;
  /** e.g. `sha256:<hex>` */
  readonly checksum: string;
  readonly url: string;
}

export const RELEASE_DENIAL_REASONS = [
  'no-entitlement',
  'license-expired',
  'maintenance-ended-before-release',
  'release-before-maintenance',
] as const;
export type ReleaseDenialReason = (typeof RELEASE_DENIAL_REASONS)[number];

/** GET /v1/installations/{serial}/releases/{version}: SPEC F6, online. */
export interface ReleaseCheckResponse {
  readonly serial: string;
  readonly release: Release;
  readonly allowed: boolean;
  /** Present when not allowed. */
  readonly reason?: ReleaseDenialReason;
  readonly maintenance: { readonly start: string; readonly end: string } | null;
}

/** GET /v1/installations/{serial}/releases */
export interface ReleaseListResponse {
  readonly serial: string;
  readonly releases: readonly (Release & { readonly allowed: boolean; readonly reason?: ReleaseDenialReason })[];
}

/** The F6 rule in one place, so the back office and the offline check agree. Dates are YYYY-MM-DD. */
export function releaseAllowed(
  ent: { readonly maintenance: { readonly start: string; readonly end: string }; readonly expiry: string } | null,
  releaseDate: string,
  today: string,
): { allowed: true } | { allowed: false; reason: ReleaseDenialReason } {
  if (!ent) return { allowed: false, reason: 'no-entitlement' };
  if (ent.expiry !== 'perpetual' && ent.expiry < today) return { allowed: false, reason: 'license-expired' };
  if (releaseDate < ent.maintenance.start) return { allowed: false, reason: 'release-before-maintenance' };
  if (releaseDate > ent.maintenance.end) return { allowed: false, reason: 'maintenance-ended-before-release' };
  return { allowed: true };
}
