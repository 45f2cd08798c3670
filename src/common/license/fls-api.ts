import type { ErrorInfo } from '../errors.js';
import type { LicensePayload } from './model.js';

/** GET /status of the floating license server (reference FLS; other implementations adapt to this). */
export interface FlsStatus {
  readonly product: 'ors-fls';
  readonly version: 1;
  /** The best valid license per serial. */
  readonly licenses: readonly FlsServedLicense[];
  /** Files in the license folder that are not served, with the reason. */
  readonly problems: readonly { readonly file: string; readonly error: ErrorInfo }[];
  /** ISO timestamp of the folder scan this status reflects. */
  readonly scannedAt: string;
}

export interface FlsServedLicense {
  readonly file: string;
  readonly kid: string;
  /** Hex SHA-256 of the signed payload bytes. */
  readonly sha256: string;
  readonly payload: LicensePayload;
  readonly seatsInUse: number;
}

/** POST /seats/checkout body; `serial` may be left out when the server serves exactly one. */
export interface SeatCheckoutRequest {
  readonly serial?: string;
  readonly client: string;
}

export interface SeatGrant {
  readonly seatId: string;
  readonly serial: string;
  /** Send a heartbeat at least this often (ms), or the seat is reclaimed. */
  readonly heartbeatTimeoutMs: number;
}

/** POST /seats/heartbeat and /seats/release body. */
export interface SeatRequest {
  readonly seatId: string;
}
