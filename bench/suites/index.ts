/** Every scenario, in the order they run, and the ratios computed between their figures. */
import type { BoundDefinition, RatioDefinition } from '../lib/derived.js';
import type { Scenario } from '../lib/types.js';
import { ceilingJetStream } from './ceiling-jetstream.js';
import { ceilingSqlite } from './ceiling-sqlite.js';
import { peerEmmett } from './peer-emmett.js';

export const SCENARIOS: readonly Scenario[] = [ceilingJetStream, ceilingSqlite, peerEmmett] as Scenario[];

export const RATIOS: readonly RatioDefinition[] = [];

export const BOUNDS: readonly BoundDefinition[] = [];
