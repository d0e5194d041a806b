import { headers } from '@nats-io/transport-node';
import { loadOrCreateSigningKey, signTogether } from '@hub/platform';
import { mkdtempSync } from 'node:fs';
const dir = mkdtempSync('/tmp/k-');
const keys = ['SCJ','ZJJ','GAJ','CGJ'].map((a) => loadOrCreateSigningKey(dir, a));
const N = 100000;
const chunk = Array.from({ length: 512 }, (_, j) => { const b = Buffer.alloc(420, j % 251); b.writeUInt32BE(j, 0); return b; });
for (let rep = 0; rep < 4; rep++) {
  let sink = 0;
  const c0 = process.cpuUsage();
  for (let c = 0; c < N; c += 512) {
    const signed = signTogether(chunk.map((b, j) => ({ key: keys[j % 4], body: b })));
    for (let j = 0; j < 512; j++) {
      const h = headers();
      h.set('Nats-Msg-Id', `m-${c + j}-0123456789abcdef0123456789`);
      for (const [k, v] of signed[j]) h.set(k, v);
      sink += h.encode().length;
    }
  }
  const cu = process.cpuUsage(c0);
  let base = 0; const c1 = process.cpuUsage();
  for (let c = 0; c < N; c += 512) for (let j = 0; j < 512; j++) { const h = headers(); h.set('Nats-Msg-Id', `m-${c + j}-0123456789abcdef0123456789`); base += h.encode().length; }
  const cb = process.cpuUsage(c1);
  console.log('signed per event µs', ((cu.user + cu.system) / N).toFixed(2), 'unsigned', ((cb.user + cb.system) / N).toFixed(2));
}
