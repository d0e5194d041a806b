import { tempDir } from '@hub/shared/testing';
import { encodeEvent } from '@hub/shared';
import { sampleEvents, subjectOf } from '@hub/projector';
import { openReadModelFile } from './dist/read-model/open.js';
import { createReadModelStore } from './dist/read-model/store.js';
import { createBatchState } from './dist/projection/batch-state.js';
import { applyEvent } from './dist/projection/apply.js';
import { decodeStreamMessage } from './dist/projection/decode.js';
const N = 100000;
const evs = sampleEvents(N, { businesses: 5000 });
const decoded = evs.map(
  (e, i) =>
    decodeStreamMessage({
      seq: i + 1,
      subject: subjectOf(e),
      data: encodeEvent(e),
      time: '2026-01-01T00:00:00.000Z',
    }).event,
);
const dir = tempDir();
const { sqlite, db } = await openReadModelFile(dir.path + '/x.sqlite');
const store = createReadModelStore(sqlite, db);
const B = 10000;
let t = performance.now();
for (let i = 0; i < decoded.length; i += B) {
  store.transaction(() => {
    const st = createBatchState();
    for (let k = i; k < i + B; k++) applyEvent(store, st, decoded[k], k + 1);
    st.flush(store);
    store.setPosition(i + B);
  });
}
console.log('apply µs/ev', (((performance.now() - t) * 1000) / N).toFixed(1));
dir.remove();
