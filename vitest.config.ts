import { defineConfig } from 'vitest/config';

/** Tests beside the code that start real processes (nats-server, the CLI): integration, not unit. */
const PROCESS_TESTS_BESIDE_CODE = [
  'services/projector/src/projector.test.ts',
  'services/projector/src/consumer.test.ts',
  'services/projector/src/key-sync.test.ts',
  'services/projector/src/projector-outage.test.ts',
  'services/projector/src/alerts/snapshot.test.ts',
  'services/query-api/src/access-log/access-log-postgres.test.ts',
  'shared/platform/src/auth/token-store.test.ts',
  'shared/platform/src/nats/streams.test.ts',
  'shared/testing/src/nats-cluster-harness.test.ts',
  'shared/testing/src/postgres-harness.test.ts',
];
/** Crashes, kills and outages: slow, and they are what they test. */
const CHAOS = ['tests/**/*{crash,outage,restart}*.test.ts'];
/**
 * The 3-node cluster drills run on their own, after the rest: nats-server 2.9's elections need
 * the CPU that a full parallel run on two cores does not leave them (in such runs the cluster
 * stayed unavailable for minutes after losing its leader; alone the drills take ~25 s).
 */
const CLUSTER = ['tests/cluster-failover.test.ts'];
/**
 * With them, the alerts crash test: in two full parallel clean-clone runs its last projector's
 * deliveries stopped short for 90 s (5–14 s alone, 13 s three at once, passing with the chaos
 * tier alone). Why is not known yet; its failure prints the projector's log.
 */
const ALONE = [...CLUSTER, 'tests/alerts-crash.test.ts'];
const BESIDE_CODE = ['shared/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts'];

/**
 * Four tiers, run apart with `npm run test:unit` (pure tests beside the code, seconds),
 * `test:integration` (tests/ and real processes), `test:chaos` and `test:alone`; `npm test`
 * runs the first three together, then the cluster drills and the alerts crash test alone.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real nats-servers and processes; two cores, so keep it modest.
    maxWorkers: 2,
    fileParallelism: true,
    // Projectors that tests start (and the hubs they launch) publish no wall-clock ticks or
    // calendar versions of their own: tests count the events in a stream exactly, and those that
    // need time to pass publish their own ticks. Children inherit this environment.
    env: { PROJECTOR_CLOCK_TICK_MS: '0', PROJECTOR_PUBLISH_CALENDAR: 'false' },
    passWithNoTests: true,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: BESIDE_CODE, exclude: PROCESS_TESTS_BESIDE_CODE },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts', ...PROCESS_TESTS_BESIDE_CODE],
          exclude: [...CHAOS, ...CLUSTER],
        },
      },
      { extends: true, test: { name: 'chaos', include: CHAOS, exclude: ALONE } },
      { extends: true, test: { name: 'alone', include: ALONE } },
    ],
  },
});
