/**
 * One route = one spec: method, path, roles (the resource it reads), parameter schemas, the
 * response schema and the handler. The same spec registers the fastify route and describes the
 * operation in the OpenAPI document, so the two cannot drift apart.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { problem, sendProblem, type Problem } from '@hub/platform';
import type { ReadModelDatabase } from '@hub/read-model';
import { authenticate, forbidden, type TokenVerifier } from '../auth/authenticate.js';
import { accessTo, type Access, type Principal, type Resource } from '../auth/roles.js';
import type { AccessLog } from '../access-log/access-log.js';
import type { ReadModelSource } from '../read-model-source.js';
import { parseParams } from './params.js';

export interface Deps {
  readModel: ReadModelSource;
  accessLog: AccessLog;
  tokens: TokenVerifier;
  /** The wall clock of the API (defaults for `at`); tests pass a fixed one. */
  now: () => Date;
}

export interface Context<P, Q, B = undefined> {
  params: P;
  query: Q;
  /** The parsed JSON body (POST routes). */
  body: B;
  /** Undefined on public routes. */
  principal: Principal | undefined;
  access: Access;
  db: Kysely<ReadModelDatabase>;
  req: FastifyRequest;
  reply: FastifyReply;
  deps: Deps;
}

export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  operationId: string;
  /** @default 'GET' */
  method?: 'GET' | 'POST';
  url: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  /** What the route reads; undefined for public routes. */
  resource?: Resource;
  params?: P;
  query?: Q;
  /** The JSON body of a POST, validated like the parameters (400 naming the field). */
  body?: B;
  response: z.ZodType;
  /** Error statuses beyond 400/401/403/503 (e.g. 404). */
  errors?: readonly number[];
  /** Whether the route reads the read model (503 until it exists). */
  needsReadModel?: boolean;
  handler(ctx: Context<z.output<P>, z.output<Q>, z.output<B>>): Promise<unknown>;
}

/** Erases the parameter types for the list of routes (each spec was checked where it was written). */
export const route = <P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType = z.ZodUndefined>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec => spec;

/** Registers the route: authentication and role, parameters and body, the read model (503), the handler. */
export function registerRoute(app: FastifyInstance, spec: RouteSpec, deps: Deps): void {
  app.route({
    method: spec.method ?? 'GET',
    url: spec.url,
    handler: async (req, reply) => {
      let principal: Principal | undefined;
      let access: Access = { kind: 'all' };
      if (spec.resource !== undefined) {
        principal = authenticate(deps.tokens, req.headers.authorization);
        access = accessTo(principal, spec.resource);
        if (access.kind === 'denied') throw forbidden(spec.resource, principal);
      }
      const params: unknown = spec.params ? parseParams(spec.params, req.params) : {};
      const query: unknown = spec.query ? parseParams(spec.query, req.query) : {};
      const body: unknown = spec.body ? parseParams(spec.body, req.body) : undefined;
      let db = undefined as unknown as Kysely<ReadModelDatabase>;
      if (spec.needsReadModel !== false) {
        const state = deps.readModel.get();
        if (!state.ok) return sendProblem(reply, readModelUnavailable(state.reason));
        db = state.db;
      }
      return spec.handler({ params, query, body, principal, access, db, req, reply, deps });
    },
  });
}

/** 503 while there is no read model to read. */
export const readModelUnavailable = (reason: string): Problem => problem('READ_MODEL_UNAVAILABLE', reason);
