/** Machine-readable error codes; each NavigatorError carries one. */
export type NavigatorErrorCode =
  | 'config_invalid'
  | 'knowledge_invalid'
  | 'index_missing'
  | 'index_mismatch'
  | 'index_build_failed'
  | 'index_read_only'
  | 'embedder_unavailable'
  | 'llm_unavailable'
  | 'input_invalid'
  | 'store_unavailable'
  | 'store_locked'
  | 'store_migration_failed';

/** The one error base of the core: a code, a message that says how to fix it, and the cause. */
export class NavigatorError extends Error {
  readonly code: NavigatorErrorCode;

  constructor(code: NavigatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NavigatorError';
    this.code = code;
  }
}

/** True when `error` is a NavigatorError, optionally with the given code. */
export function isNavigatorError(error: unknown, code?: NavigatorErrorCode): error is NavigatorError {
  return error instanceof NavigatorError && (code === undefined || error.code === code);
}
