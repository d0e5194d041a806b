/**
 * A fast path for the event schemas: each zod schema compiled once into plain closures that
 * either accept a value — returning exactly what zod would return — or give up. Giving up is
 * never a verdict: the caller then runs zod itself, which decides and words the issues. So the
 * schemas stay the one statement of what an event is, and the fast path can only ever be
 * stricter than zod, never more lenient (a construct it does not know is handed to zod whole).
 *
 * Every event the projector reads, and every one a department submits, goes through this; zod
 * builds issue lists, payload objects and check contexts per value, which cost as much as the
 * protobuf decode itself. Equivalence with zod is tested on every sample event and on mutated
 * ones (fast-parse.test.ts).
 *
 * @example
 * const check = compileSchema(PAYLOAD_SCHEMAS.inspectionCompleted);
 * const out = check(value);
 * if (out === GIVE_UP) return schema.safeParse(value); // zod decides
 */
import type { z } from 'zod';

/** What a compiled check returns when it does not accept the value (zod must decide). */
export const GIVE_UP: unique symbol = Symbol('give up');
export type Compiled = (value: unknown) => unknown;

interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef; check?: unknown } }[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, unknown>;
  transform?: (value: unknown, ctx: unknown) => unknown;
  format?: string;
  pattern?: RegExp;
  coerce?: boolean;
}

interface CheckDef {
  check: string;
  type?: string;
  fn?: (value: unknown) => unknown;
  tx?: (value: unknown) => unknown;
  minimum?: number | bigint;
  maximum?: number | bigint;
  value?: number | bigint;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** A node the compiler does not know: zod parses it (still correct, only not faster). */
function viaZod(schema: z.ZodType): Compiled {
  return (value) => {
    const r = schema.safeParse(value);
    return r.success ? r.data : GIVE_UP;
  };
}

type Step = (value: unknown) => unknown;

/** The checks of a node, in zod's order; undefined when one is not understood. */
function compileChecks(def: Def): Step[] | undefined {
  const steps: Step[] = [];
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    switch (d.check) {
      case 'custom': {
        // `.refine(fn)`: falsy fails. A superRefine has no `fn` on its definition: not compiled.
        const fn = d.fn;
        if (d.type !== 'custom' || typeof fn !== 'function') return undefined;
        steps.push((v) => {
          const r = fn(v);
          if (r instanceof Promise) return GIVE_UP;
          return r ? v : GIVE_UP;
        });
        break;
      }
      case 'overwrite': {
        const tx = d.tx;
        if (typeof tx !== 'function') return undefined;
        steps.push(tx);
        break;
      }
      case 'min_length': {
        const min = Number(d.minimum);
        steps.push((v) => ((v as { length: number }).length >= min ? v : GIVE_UP));
        break;
      }
      case 'max_length': {
        const max = Number(d.maximum);
        steps.push((v) => ((v as { length: number }).length <= max ? v : GIVE_UP));
        break;
      }
      case 'string_format': {
        const pattern = d.pattern;
        if (d.format !== 'regex' || !(pattern instanceof RegExp) || pattern.global || pattern.sticky)
          return undefined;
        steps.push((v) => (pattern.test(v as string) ? v : GIVE_UP));
        break;
      }
      case 'number_format': {
        if (d.format !== 'safeint') return undefined;
        steps.push((v) => (Number.isSafeInteger(v) ? v : GIVE_UP));
        break;
      }
      case 'greater_than': {
        const min = Number(d.value);
        steps.push(
          d.inclusive
            ? (v) => ((v as number) >= min ? v : GIVE_UP)
            : (v) => ((v as number) > min ? v : GIVE_UP),
        );
        break;
      }
      case 'less_than': {
        const max = Number(d.value);
        steps.push(
          d.inclusive
            ? (v) => ((v as number) <= max ? v : GIVE_UP)
            : (v) => ((v as number) < max ? v : GIVE_UP),
        );
        break;
      }
      default:
        return undefined;
    }
  }
  return steps;
}

function withChecks(base: Compiled, steps: Step[]): Compiled {
  if (steps.length === 0) return base;
  return (value) => {
    let v = base(value);
    for (let i = 0; i < steps.length && v !== GIVE_UP; i++) v = steps[i]!(v);
    return v;
  };
}

/**
 * Compiles a zod schema (the subset the event schemas use) into a fast accept-or-give-up check.
 * `known` gives the checks of nodes zod cannot show from outside (a `superRefine`), each
 * stated beside its schema and tested against it.
 */
export function compileSchema(schema: z.ZodType, known?: ReadonlyMap<z.ZodType, Compiled>): Compiled {
  const own = known?.get(schema);
  if (own) return own;
  const def = defOf(schema);
  const checks = compileChecks(def);
  if (checks === undefined || def.coerce) return viaZod(schema);
  const base = compileBase(schema, def, known);
  return base === undefined ? viaZod(schema) : withChecks(base, checks);
}

function compileBase(
  schema: z.ZodType,
  def: Def,
  known: ReadonlyMap<z.ZodType, Compiled> | undefined,
): Compiled | undefined {
  const compile = (s: z.ZodType) => compileSchema(s, known);
  switch (def.type) {
    case 'string': {
      if (def.format === undefined) return (v) => (typeof v === 'string' ? v : GIVE_UP);
      const pattern = def.pattern;
      if (!(pattern instanceof RegExp) || pattern.global || pattern.sticky) return undefined;
      return (v) => (typeof v === 'string' && pattern.test(v) ? v : GIVE_UP);
    }
    case 'number':
      return (v) => (typeof v === 'number' && Number.isFinite(v) ? v : GIVE_UP);
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : GIVE_UP);
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      return (v) => (values.has(v) ? v : GIVE_UP);
    }
    case 'optional': {
      const inner = compile(def.innerType!);
      return (v) => (v === undefined ? undefined : inner(v));
    }
    case 'default': {
      const inner = compile(def.innerType!);
      // The definition's getter gives a fresh copy of the default each time, as zod does.
      return (v) => (v === undefined ? defOf(schema).defaultValue : inner(v));
    }
    case 'transform': {
      const fn = def.transform;
      if (typeof fn !== 'function') return undefined;
      // The event schemas' transforms take the value only; one that needs zod's context throws here.
      return (v) => {
        const out = fn(v, undefined);
        return out instanceof Promise ? GIVE_UP : out;
      };
    }
    case 'pipe': {
      const a = compile(def.in!);
      const b = compile(def.out!);
      return (v) => {
        const mid = a(v);
        return mid === GIVE_UP ? GIVE_UP : b(mid);
      };
    }
    case 'union': {
      // zod takes the first option that accepts. Compiled for options of primitive types only:
      // an option of another type than the value's surely refuses it, so the first option of
      // the value's own type decides (and when it gives up, zod decides).
      const options = def.options ?? [];
      const types: string[] = options.map((o) => defOf(o).type);
      if (types.some((t) => t !== 'string' && t !== 'number' && t !== 'boolean')) return undefined;
      const compiled = options.map(compile);
      return (v) => {
        const i = types.indexOf(typeof v);
        return i < 0 ? GIVE_UP : compiled[i]!(v);
      };
    }
    case 'array': {
      const element = compile(def.element!);
      return (v) => {
        if (!Array.isArray(v)) return GIVE_UP;
        const out: unknown[] = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) {
          const e = element(v[i]);
          if (e === GIVE_UP) return GIVE_UP;
          out[i] = e;
        }
        return out;
      };
    }
    case 'object': {
      // Strict objects only (every event object is one): unknown keys are zod's to word.
      if (!def.catchall || defOf(def.catchall).type !== 'never') return undefined;
      const keys = Object.keys(def.shape ?? {});
      const fields = keys.map((k) => compile(def.shape![k]!));
      const optionalOut = keys.map(
        (k) => (def.shape![k] as unknown as { _zod: { optout?: string } })._zod.optout === 'optional',
      );
      const known = new Set(keys);
      return (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return GIVE_UP;
        const input = v as Record<string, unknown>;
        let present = 0;
        const out: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i]!;
          const value = input[k];
          if (value === undefined) {
            if (k in input) return GIVE_UP; // an explicit undefined: zod's to decide
          } else present++;
          const r = fields[i]!(value);
          if (r === GIVE_UP) return GIVE_UP;
          if (r === undefined && optionalOut[i]) continue;
          out[k] = r;
        }
        // Unknown keys: refused by zod with their names.
        if (present !== Object.keys(input).length) {
          for (const k in input) if (!known.has(k)) return GIVE_UP;
        }
        return out;
      };
    }
    default:
      return undefined;
  }
}
