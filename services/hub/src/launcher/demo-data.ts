import type { LocalHub } from './local-hub.js';

/** Posts a small, realistic set of events through the agency services. */
export function loadDemoData(hub: LocalHub): Promise<void> {
  return Promise.resolve().then(() =>
    console.log(`演示数据 (demo data): not yet available for ${hub.dataDir}`),
  );
}
