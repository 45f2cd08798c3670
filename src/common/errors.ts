/** Errors are values with codes; user messages for codes live in the catalogues (see i18n.ts). */

/** A text as a code and its parameters, formatted by the catalogue in the reader's language. */
export interface Message {
  readonly code: string;
  readonly params?: MessageParams;
}

/** A parameter: plain text or a number, or a message (or list of them) formatted in the same language. */
export type MessageParam = string | number | Message | readonly Message[];
export type MessageParams = Readonly<Record<string, MessageParam>>;

export interface ErrorInfo {
  readonly code: string;
  readonly params?: MessageParams;
  /** The input field the error concerns, for errors shown at a field. */
  readonly field?: string;
}

export class CodedError extends Error implements ErrorInfo {
  override readonly name = 'CodedError';
  readonly params: MessageParams;
  readonly field?: string;

  constructor(
    readonly code: string,
    params: MessageParams = {},
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(`${code}${Object.keys(params).length ? ' ' + JSON.stringify(params) : ''}`, { cause: options.cause });
    this.params = params;
    if (options.field !== undefined) this.field = options.field;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, params: this.params, ...(this.field !== undefined ? { field: this.field } : {}) };
  }
}

/** The error an ErrorInfo describes, thrown at its field (validation results, refusals from another process). */
export function codedErrorOf(e: ErrorInfo): CodedError {
  return new CodedError(e.code, e.params ?? {}, e.field !== undefined ? { field: e.field } : {});
}

export function isCodedError(e: unknown): e is CodedError {
  return e instanceof CodedError;
}

/** Best-effort conversion of anything thrown into an ErrorInfo, without leaking stack traces. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof CodedError) return e.toInfo();
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    const code = (e as { code: string }).code;
    return { code: 'internal.unexpected', params: { detail: code } };
  }
  return { code: 'internal.unexpected', params: { detail: e instanceof Error ? e.message : String(e) } };
}
