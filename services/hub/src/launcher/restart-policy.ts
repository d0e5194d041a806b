/**
 * When to restart a service that died, as systemd's `Restart=on-failure` with `StartLimitBurst`
 * would: wait a little, longer each time it dies soon after starting, and give up after a few
 * such fast failures in a row (a crash loop needs a person, not more restarts).
 */
export interface RestartPolicy {
  /** Wait before the first restart, ms. @default 1000 */
  readonly initialDelayMs: number;
  /** Longest wait between restarts, ms. @default 30000 */
  readonly maxDelayMs: number;
  /** A run shorter than this counts as a fast failure, ms. @default 10000 */
  readonly fastFailureMs: number;
  /** Give up after this many fast failures in a row. @default 5 */
  readonly maxFastFailures: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = Object.freeze({
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  fastFailureMs: 10_000,
  maxFastFailures: 5,
});

export type RestartDecision =
  | { readonly action: 'restart'; readonly delayMs: number; readonly fastFailures: number }
  | { readonly action: 'give-up'; readonly fastFailures: number };

/**
 * @param fastFailures fast failures in a row before this exit
 * @param upMs how long the run that just ended lasted
 * @example
 * nextRestart(DEFAULT_RESTART_POLICY, 0, 60_000) // → { action: 'restart', delayMs: 1000, fastFailures: 0 }
 */
export function nextRestart(policy: RestartPolicy, fastFailures: number, upMs: number): RestartDecision {
  if (upMs >= policy.fastFailureMs)
    return { action: 'restart', delayMs: policy.initialDelayMs, fastFailures: 0 };
  const failures = fastFailures + 1;
  if (failures >= policy.maxFastFailures) return { action: 'give-up', fastFailures: failures };
  const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (failures - 1));
  return { action: 'restart', delayMs, fastFailures: failures };
}
