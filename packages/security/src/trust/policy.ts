/** How strictly artifacts are judged. There is no implicit default: createTrustVerifier requires one. */
export interface TrustPolicy {
  /** Distinct trusted keys that must sign (m of n). Default 1. */
  threshold?: number;
  /** Accept artifacts that carry no signature at all. Default false; signatures that are present are still checked. */
  allowUnsigned?: boolean;
  /** Accept a manifest `sequence` lower than the highest already seen for the artifact id. Default false. */
  allowRollback?: boolean;
}
