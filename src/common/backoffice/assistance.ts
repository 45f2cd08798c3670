/**
 * Remote assistance on request (issue 14): a technician asks on the website, the customer's ORS
 * service receives the request over the connection it already holds, the administrator starts or
 * declines it in the console, and what happened travels back. The states and their one transition
 * rule, shared by the back office, the ORS service, the console and the website. Isomorphic.
 */

/** How long a request waits for the administrator before it counts as expired. */
export const ASSISTANCE_TTL_MS = 10 * 60_000;

/** Longest message a technician may send with a request (characters). */
export const MAX_ASSISTANCE_MESSAGE = 500;
/** Most line breaks a message may hold (it is shown in a notice of the customer's console). */
export const MAX_ASSISTANCE_MESSAGE_LINES = 10;

/**
 * Control characters other than tab and line break (C0, DEL, C1) and the bidirectional overrides
 * and isolates (U+202A–U+202E, U+2066–U+2069) that could disguise what the administrator reads.
 */
// eslint-disable-next-line no-control-regex
const REFUSED_IN_MESSAGE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;

/**
 * What is wrong with a request's message (trimmed), as the rule of its coded error
 * (backoffice.field.*), or undefined when it may be sent. One rule for the page and the back office.
 */
export function assistanceMessageProblem(message: string): { rule: 'blank' } | { rule: 'max-length'; limit: number } | { rule: 'control-characters' } | undefined {
  const text = message.trim();
  if (!text) return { rule: 'blank' };
  if (text.length > MAX_ASSISTANCE_MESSAGE) return { rule: 'max-length', limit: MAX_ASSISTANCE_MESSAGE };
  if (REFUSED_IN_MESSAGE.test(text) || text.split('\n').length - 1 > MAX_ASSISTANCE_MESSAGE_LINES) return { rule: 'control-characters' };
  return undefined;
}

/**
 * requested → delivered (the ORS service has it; the console shows the notice) → started (TeamViewer
 * runs; its ID follows) → ended. Or: not-allowed (the installation refuses, with the reason),
 * declined (the administrator said no), failed (TeamViewer did not start), cancelled (the technician
 * withdrew it), expired (nobody answered in time — derived from `expiresAt`, never stored).
 */
export const ASSISTANCE_STATES = ['requested', 'delivered', 'started', 'ended', 'not-allowed', 'declined', 'failed', 'cancelled', 'expired'] as const;
export type AssistanceState = (typeof ASSISTANCE_STATES)[number];

/** What the installation reports back (POST …/assistance/{id}/reports). */
export const ASSISTANCE_REPORT_KINDS = ['delivered', 'not-allowed', 'declined', 'started', 'ended', 'failed'] as const;
export type AssistanceReportKind = (typeof ASSISTANCE_REPORT_KINDS)[number];

/**
 * Why an installation refuses a request: the administrator has not allowed remote assistance, or a
 * prerequisite of SPEC F4 is not met there (the ids of common/remote-assistance/prerequisites.ts).
 */
export const ASSISTANCE_REFUSALS = ['not-allowed', 'license-update', 'feature', 'teamviewer', 'proxy'] as const;
export type AssistanceRefusal = (typeof ASSISTANCE_REFUSALS)[number];

export interface AssistanceRequest {
  readonly id: string;
  readonly serial: string;
  readonly organisationId: string;
  /** Login name of the technician who asked. */
  readonly requestedBy: string;
  readonly message: string;
  /** As stored; read it through `assistanceStateAt` (expiry is derived). */
  readonly state: AssistanceState;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly expiresAt: string;
  /** Once TeamViewer runs and its ID is known. */
  readonly teamViewerId: string | null;
  /** not-allowed: an AssistanceRefusal; failed: an error code. */
  readonly reason: string | null;
}

export interface AssistanceReport {
  readonly kind: AssistanceReportKind;
  readonly reason?: string;
  readonly teamViewerId?: string;
}

/** POST /v1/staff/installations/{serial}/assistance */
export interface AssistanceRequestBody {
  readonly message: string;
}

/** GET /v1/installations/{serial}/assistance[?wait=N]: the installation's current request, if any. */
export interface CurrentAssistanceResponse {
  readonly request: AssistanceRequest | null;
}

/** The state at `now`: a request nobody answered before its expiry has expired. */
export function assistanceStateAt(r: Pick<AssistanceRequest, 'state' | 'expiresAt'>, now: number): AssistanceState {
  if ((r.state === 'requested' || r.state === 'delivered') && now >= Date.parse(r.expiresAt)) return 'expired';
  return r.state;
}

/** Still waiting or running: a second request for the same installation is refused meanwhile. */
export function isOpenAssistance(state: AssistanceState): boolean {
  return state === 'requested' || state === 'delivered' || state === 'started';
}

/** From which states each report may move a request (a report that changes nothing is accepted as it is). */
const FROM: Readonly<Record<AssistanceReportKind, readonly AssistanceState[]>> = {
  delivered: ['requested'],
  'not-allowed': ['requested', 'delivered'],
  declined: ['requested', 'delivered'],
  // The administrator may click [Start] before the back office saw 'delivered' (reports travel separately).
  started: ['requested', 'delivered', 'started'],
  failed: ['requested', 'delivered', 'started'],
  ended: ['started'],
};

/**
 * The one transition rule: the state a report leads to from `current` (as at `now`), or 'refused'
 * when the request is past that point (e.g. a [Start] after it expired or was withdrawn).
 */
export function applyAssistanceReport(current: AssistanceState, kind: AssistanceReportKind): AssistanceState | 'refused' {
  if (current === kind) return current;
  return FROM[kind].includes(current) ? kind : 'refused';
}

/** The TeamViewer ID as sent: digits only, 6–12 of them. */
export const TEAMVIEWER_ID_PATTERN = /^\d{6,12}$/;
