import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real nats-servers and processes; two cores, so keep it modest.
    maxWorkers: 2,
    fileParallelism: true,
    // Projectors that tests start (and the hubs they launch) publish no wall-clock ticks or
    // calendar versions of their own: tests count the events in a stream exactly, and those that
    // need time to pass publish their own ticks. Children inherit this environment.
    env: { PROJECTOR_CLOCK_TICK_MS: '0', PROJECTOR_PUBLISH_CALENDAR: 'false' },
  },
});
