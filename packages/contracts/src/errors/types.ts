/** The layer or cross-cutting package an error or event comes from. */
export type Layer =
  | 'contracts'
  | 'observability'
  | 'security'
  | 'loader'
  | 'runtime'
  | 'interpreter'
  | 'adapter'
  | 'cli'
  | 'guest';

/** One entry of the error-code catalogue: what the code means and what the user should do. */
export interface ErrorCodeInfo {
  /** Layer that raises the code. */
  readonly layer: Layer;
  /** One-line meaning, rendered in docs/errors.md. */
  readonly title: string;
  /** What to do about it, appended to messages that do not give their own hint. */
  readonly remedy: string;
  /** Whether retrying the same operation may succeed (network faults, timeouts). */
  readonly retryable?: boolean;
}
