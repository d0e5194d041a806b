/**
 * A realistic, deterministic enforcement year for a county: a few thousand businesses, events
 * from many agencies (plans, visits, complaints, follow-ups, penalty cases, payments), and on
 * a reserved set of businesses planted episodes whose alerts are known in advance — duplicate
 * inspections, overlapping plans, repeat penalties, quiet-period violations, burden — alongside
 * near misses that must raise nothing (window + 1 ms, exempt reasons, joint inspections,
 * cancelled and retracted records, a recorded quiet-period reason, non-overlapping periods).
 *
 * @example
 * const s = generateScenario({ seed: 7, businesses: 300 });
 * s.events;  // canonical JSON, in arrival order
 * s.planted; // { duplicate_inspection: 41, plan_overlap: 9, … }
 */
import {
  ALERT_KINDS,
  BUILT_IN_CALENDARS,
  calendarVersionJson,
  clockTickedJson,
  type AlertKind,
  type LegalRuleCode,
} from '@hub/domain';
import { DAY, INSPECTING, mattersFor, penaltyCase, usccOf, workTime, type EpisodeContext } from './common.js';
import { createEmitter, type CanonicalEvent, type Emitter, type Reason, type Visit } from './emitter.js';
import { EPISODES } from './episodes.js';
import { LAW_EPISODES } from './law-episodes.js';
import { createRandom } from './random.js';

export interface ScenarioOptions {
  seed?: number;
  /** Businesses in the county. Default 3000. */
  businesses?: number;
  /** Calendar year. Default 2026. */
  year?: number;
  /** One business in this many carries a planted episode. Default 8. */
  plantEvery?: number;
  /**
   * Businesses whose spring inspections are loaded only after the year is over (a department
   * loading last year's records): checked retrospectively (docs/coordination-rules.md §4).
   * One in three carries a duplicate pair; the others near misses (31 days apart, a complaint).
   * Default 0.
   */
  lateLoads?: number;
}

export interface Scenario {
  readonly events: CanonicalEvent[];
  /** Alerts the rules must raise, by kind (default settings). */
  readonly planted: Record<AlertKind, number>;
  /** Legal alerts the rules must raise, by rule (their kinds are counted in `planted`). */
  readonly plantedRules: Partial<Record<LegalRuleCode, number>>;
  /** Of those, how many a later retraction, cancellation or correction withdraws. */
  readonly plantedWithdrawn: Record<AlertKind, number>;
  /** Of the planted duplicates, how many only a retrospective check finds (`lateLoads`). */
  readonly plantedRetrospective: number;
  /** Planted episodes by name, for reading a failure. */
  readonly episodes: Record<string, number>;
  readonly businesses: number;
}

const ROUTINE: Reason[] = ['RANDOM_SELECTION', 'RANDOM_SELECTION', 'ANNUAL_PLAN', 'SPECIAL_CAMPAIGN'];
const TRADES = ['商贸', '餐饮', '食品', '建材', '物流', '五金', '药房', '网吧', '酒店', '农资'];

/**
 * One ordinary business: routine visits at least 100 days apart (beyond the duplicate window
 * and the quiet period), some as joint inspections, some plans cancelled; complaint-driven and
 * follow-up visits at any time; at most one penalty case. Nothing here may raise an alert.
 */
function background(ctx: EpisodeContext, uscc: string, name: string): void {
  const { rng, ev, yearStart } = ctx;
  let day = rng.int(0, 80);
  let cased = false;
  let n = 0;
  while (day < 358 && rng.chance(0.85)) {
    const agency = rng.pick(INSPECTING);
    const at = workTime(yearStart, day, rng);
    const visit: Visit = {
      id: `${agency}-JC-${uscc.slice(-6)}-${++n}`,
      at,
      reason: rng.pick(ROUTINE),
      matters: mattersFor(rng, agency),
    };
    const planAt = at - rng.int(3, 20) * DAY;
    if (rng.chance(0.12)) {
      // A joint inspection (进一次门、查多项事), planned together.
      const other = rng.pick(INSPECTING.filter((a) => a !== agency));
      const joint = `JI-${uscc.slice(-6)}-${n}`;
      const mate: Visit = {
        ...visit,
        id: `${other}-JC-${uscc.slice(-6)}-${n}`,
        matters: mattersFor(rng, other),
        joint,
      };
      for (const [a, v] of [
        [agency, { ...visit, joint }],
        [other, mate],
      ] as const) {
        ev.planned(a, uscc, name, planAt, v);
        ev.completed(a, uscc, name, v);
      }
    } else if (rng.chance(0.08)) {
      ev.planned(agency, uscc, name, planAt, visit);
      ev.cancelled(agency, uscc, name, planAt + rng.int(1, 2) * DAY, visit.id);
    } else {
      const result =
        !cased && rng.chance(0.1) ? 'CASE_OPENED' : rng.chance(0.15) ? 'RECTIFICATION_ORDERED' : 'NO_ISSUES';
      if (rng.chance(0.7)) ev.planned(agency, uscc, name, planAt, visit);
      ev.completed(agency, uscc, name, { ...visit, result });
      if (result === 'RECTIFICATION_ORDERED') {
        ev.completed(agency, uscc, name, {
          ...visit,
          id: `${visit.id}-FC`,
          reason: 'FOLLOW_UP',
          at: at + rng.int(10, 25) * DAY,
        });
      }
      if (result === 'CASE_OPENED') {
        cased = true;
        penaltyCase(ctx, agency, uscc, name, `${agency}-AJ-${uscc.slice(-6)}`, at + DAY, visit.matters, {
          code: `V-${visit.matters[0]}`,
          from: at - 60 * DAY,
          to: at,
        });
      }
    }
    day += rng.int(100, 150);
  }
  if (rng.chance(0.2)) {
    const complaintDay = rng.int(1, 350);
    const at = workTime(yearStart, complaintDay, rng);
    const agency = rng.pick(INSPECTING);
    const matters = mattersFor(rng, agency);
    ev.emit(agency, uscc, name, at, {
      complaintReceived: {
        complaintId: `TS-${uscc.slice(-6)}`,
        channel: 'COMPLAINT_CHANNEL_HOTLINE',
        summary: '群众来电反映经营问题',
        matterCodes: matters,
        anonymous: true,
      },
    });
    ev.completed(agency, uscc, name, {
      id: `${agency}-TS-${uscc.slice(-6)}`,
      at: at + rng.int(1, 5) * DAY,
      reason: 'COMPLAINT',
      matters,
    });
  }
}

export function generateScenario(opts: ScenarioOptions = {}): Scenario {
  const seed = opts.seed ?? 1;
  const count = opts.businesses ?? 3000;
  const year = opts.year ?? 2026;
  const plantEvery = opts.plantEvery ?? 8;
  const rng = createRandom(seed);
  const ev: Emitter = createEmitter(rng);
  const planted = Object.fromEntries(ALERT_KINDS.map((k) => [k, 0])) as Record<AlertKind, number>;
  const plantedWithdrawn = { ...planted };
  const episodes: Record<string, number> = {};
  // 00:00 on 1 January, China time.
  const yearStart = Date.UTC(year, 0, 1) - 8 * 3_600_000;
  const ctx: EpisodeContext = {
    rng,
    ev,
    yearStart,
    expect: (k, n = 1) => void (planted[k] += n),
    expectWithdrawn: (k) => void (plantedWithdrawn[k] += 1),
    expectRule: (k, rule) => {
      planted[k] += 1;
      plantedRules[rule] = (plantedRules[rule] ?? 0) + 1;
    },
  };
  const plantedRules: Partial<Record<LegalRuleCode, number>> = {};
  // The working-day calendar first, then a clock tick at every midnight (China time) until
  // 60 days past the year: time enters the stream as events, as the hub's clock publisher does.
  for (const v of BUILT_IN_CALENDARS) {
    ev.raw(
      calendarVersionJson(v, new Date(yearStart - DAY).toISOString()) as CanonicalEvent,
      yearStart - DAY,
    );
  }
  for (let d = 1; d <= 425; d++) {
    const at = yearStart + d * DAY;
    ev.raw(clockTickedJson(at, 'scenario') as CanonicalEvent, at);
  }
  const episodesAll = [...EPISODES, ...LAW_EPISODES];
  for (let i = 0; i < count; i++) {
    const uscc = usccOf(i + 1);
    const name = `${rng.pick(['城关', '东街', '西门', '南湖', '北岭', '新区'])}${rng.pick(TRADES)}有限公司${i + 1}`;
    if (i % plantEvery === plantEvery - 1) {
      const episode = episodesAll[Math.floor(i / plantEvery) % episodesAll.length]!;
      episodes[episode.name] = (episodes[episode.name] ?? 0) + 1;
      episode.plant(ctx, uscc, name);
    } else background(ctx, uscc, name);
  }
  let plantedRetrospective = 0;
  for (let j = 0; j < (opts.lateLoads ?? 0); j++) {
    const uscc = usccOf(count + 1 + j);
    const name = `旧档补录有限公司${j + 1}`;
    const [a, b] = [rng.pick(INSPECTING), rng.pick(INSPECTING)];
    const first = workTime(yearStart, rng.int(30, 150), rng);
    // Loaded 20 days after the year, when the hub's newest records are from December.
    const loadedAt = yearStart + (385 + j) * DAY;
    const kind = j % 3;
    const visits: Visit[] = [
      {
        id: `${a}-BL-${uscc.slice(-6)}-1`,
        at: first,
        reason: 'RANDOM_SELECTION',
        matters: mattersFor(rng, a),
      },
      {
        id: `${b}-BL-${uscc.slice(-6)}-2`,
        at: first + (kind === 1 ? 31 : 10) * DAY,
        reason: kind === 2 ? 'COMPLAINT' : 'ANNUAL_PLAN',
        matters: mattersFor(rng, b),
      },
    ];
    visits.forEach((v, k) =>
      ev.completed(k === 0 ? a : b, uscc, name, { ...v, loadedAt: loadedAt + k * 60_000 }),
    );
    const episode = `late load ${['duplicate', 'near miss: 31 days', 'near miss: complaint'][kind]}`;
    episodes[episode] = (episodes[episode] ?? 0) + 1;
    if (kind === 0) {
      planted.duplicate_inspection += 1;
      plantedRetrospective += 1;
    }
  }
  return {
    events: ev.events(),
    planted,
    plantedRules,
    plantedWithdrawn,
    plantedRetrospective,
    episodes,
    businesses: count,
  };
}
