/** Resources of one run: released at its end, or by the scenario's cleanup if interrupted. */
import type { RunContext } from './types.js';

export async function scoped<T>(ctx: RunContext, fn: (run: RunContext) => Promise<T>): Promise<T> {
  const cleanups: (() => Promise<void>)[] = [];
  const runCtx: RunContext = {
    quick: ctx.quick,
    log: (m) => ctx.log(m),
    defer(cleanup) {
      let done = false;
      const once = async () => {
        if (done) return;
        done = true;
        await cleanup();
      };
      cleanups.push(once);
      ctx.defer(once);
    },
  };
  try {
    return await fn(runCtx);
  } finally {
    while (cleanups.length > 0) await cleanups.pop()!();
  }
}
