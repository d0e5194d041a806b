/**
 * Every deployment file under deploy/ (docker compose, Kubernetes, systemd, NATS) is parsed, and
 * each variable and port it sets is checked against what it configures: the services' zod
 * configuration, the variables the NATS configuration reads, and docs/operations.md. A renamed
 * variable or a moved port fails here, not in production. PostgreSQL is checked too: every hub
 * service gets READ_MODEL_URL with the password from the environment (compose) or a Secret
 * (Kubernetes), never written in the file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { commonConfig } from '@hub/platform';
import { agencyServiceConfig } from '@hub/agency-gateway';
import { projectorConfigShape } from '@hub/projector';
import { queryApiConfig } from '@hub/query-api';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(`${root}/${path}`, 'utf8');

/** The variables each service's entry point parses (zod shapes). */
const SHAPES: Record<string, readonly string[]> = {
  'market-supervision': Object.keys(agencyServiceConfig('market-supervision')),
  'urban-construction': Object.keys(agencyServiceConfig('urban-construction')),
  'public-safety': Object.keys(agencyServiceConfig('public-safety')),
  projector: Object.keys(projectorConfigShape),
  'query-api': Object.keys(queryApiConfig),
  // The hub CLI: the services' common settings, and the hub's PostgreSQL (services/hub/src/config.ts).
  hub: [...Object.keys(commonConfig), 'READ_MODEL_URL'],
};

/** Services that must reach PostgreSQL: the read model's writer and reader, and every token reader. */
const PG_SERVICES = ['projector', 'query-api', 'market-supervision', 'urban-construction', 'public-safety'];
/** Keys of the Secret hub-postgres (deploy/k8s/postgres.yaml). */
const PG_SECRET_KEYS = ['POSTGRES_PASSWORD', 'READ_MODEL_URL'];

/** Which service a command runs: `node services/<name>/dist/main.js …`. */
function serviceOf(command: unknown): string {
  const text = Array.isArray(command) ? command.join(' ') : String(command);
  const m = /services\/([a-z-]+)\/dist\/main\.js/.exec(text);
  if (!m?.[1]) throw new Error(`no service in command ${text}`);
  return m[1];
}

/** `$VARIABLES` the NATS configuration files read from nats-server's environment. */
const natsVariables = new Set(
  ['cluster.conf', 'node.conf', 'hub.conf', 'auth.conf'].flatMap((f) =>
    [...read(`deploy/nats/${f}`).matchAll(/\$([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!),
  ),
);
const natsPasswordVars = [...natsVariables].filter((v) => v.startsWith('NATS_PASS_')).sort();
const operations = read('docs/operations.md');

function checkServiceEnv(where: string, service: string, env: Record<string, string | undefined>): void {
  const shape = SHAPES[service];
  expect(shape, `${where}: unknown service ${service}`).toBeDefined();
  for (const name of Object.keys(env)) {
    expect(shape, `${where}: ${service} has no setting ${name}`).toContain(name);
    expect(operations, `${where}: ${name} is not in docs/operations.md`).toContain(name);
  }
  expect(existsSync(`${root}/services/${service}/src/main.ts`), `${where}: services/${service}`).toBe(true);
}

describe('deploy/compose', () => {
  const compose = parseYaml(read('deploy/compose/compose.yaml'), { merge: true }) as {
    services: Record<
      string,
      {
        image?: string;
        entrypoint?: string[];
        command?: string[];
        environment?: Record<string, string>;
        ports?: string[];
        healthcheck?: { test: string[] };
        volumes?: string[];
      }
    >;
  };

  it('sets only variables the services parse, on the ports they listen on', () => {
    const services = Object.entries(compose.services).filter(
      ([name]) => !name.startsWith('nats-') && name !== 'postgres',
    );
    expect(services.length).toBeGreaterThanOrEqual(8);
    for (const [name, svc] of services) {
      const service = serviceOf([...(svc.entrypoint ?? []), ...(svc.command ?? [])]);
      const env = svc.environment ?? {};
      checkServiceEnv(`compose ${name}`, service, env);
      if (PG_SERVICES.includes(service) || name === 'hub') {
        // The password comes from .env, never from the file.
        expect(env.READ_MODEL_URL, `compose ${name} READ_MODEL_URL`).toBe(
          'postgres://hub:${POSTGRES_PASSWORD:?set in deploy/compose/.env}@postgres:5432/hub',
        );
      }
      if (env.PORT === undefined) continue; // a one-off command (streams apply)
      expect(svc.ports, `compose ${name} publishes its PORT`).toContain(`${env.PORT}:${env.PORT}`);
      expect(svc.healthcheck?.test.join(' '), `compose ${name} health check`).toContain(
        `127.0.0.1:${env.PORT}/healthz`,
      );
      expect(env.HOST).toBe('0.0.0.0');
    }
  });

  it('runs each NATS node from deploy/nats with the variables it reads', () => {
    const nodes = Object.entries(compose.services).filter(([name]) => name.startsWith('nats-'));
    expect(nodes).toHaveLength(3);
    for (const [name, node] of nodes) {
      expect(node.command).toEqual(['-c', '/etc/nats/node.conf']);
      expect(node.volumes).toContain('../nats:/etc/nats:ro');
      for (const v of Object.keys(node.environment ?? {})) {
        expect(natsVariables, `compose ${name}: ${v}`).toContain(v);
      }
    }
    // The passwords file names every user of auth.conf and PostgreSQL's, and nothing else.
    const example = read('deploy/compose/env.example')
      .split('\n')
      .filter((l) => /^[A-Z]/.test(l))
      .map((l) => l.split('=')[0]!)
      .sort();
    expect(example).toEqual([...natsPasswordVars, 'POSTGRES_PASSWORD'].sort());
  });

  it('runs PostgreSQL with the password from .env and a durable volume; two projectors, each its own', () => {
    const db = compose.services.postgres!;
    expect(db.image).toMatch(/^postgres:1[3-9]/);
    expect(db.environment).toMatchObject({
      POSTGRES_USER: 'hub',
      POSTGRES_DB: 'hub',
      POSTGRES_PASSWORD: '${POSTGRES_PASSWORD:?set in deploy/compose/.env}',
    });
    expect(db.volumes).toContain('postgres:/var/lib/postgresql/data');
    const projectors = Object.values(compose.services).filter((svc) =>
      svc.command?.join(' ').includes('services/projector/dist/main.js'),
    );
    expect(projectors).toHaveLength(2);
    const volumes = projectors.map((p) => p.volumes!.find((v) => v.endsWith(':/data')));
    expect(new Set(volumes).size).toBe(2);
  });
});

describe('deploy/k8s', () => {
  type Container = {
    name: string;
    command?: string[];
    env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { key: string } } }[];
    ports?: { containerPort: number }[];
    readinessProbe?: { httpGet?: { path: string; port: number } };
  };
  type Doc = {
    kind: string;
    metadata: { name: string };
    spec?: { replicas?: number; template?: { spec: { containers: Container[] } } };
  };
  const INFRASTRUCTURE = ['hub-nats', 'hub-postgres'];
  const docs = readdirSync(`${root}/deploy/k8s`)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(read(`deploy/k8s/${f}`)).map((d) => d.toJS() as Doc | null))
    .filter((d): d is Doc => d !== null);

  it('every service container sets only what it parses, and is ready on its PORT /healthz', () => {
    const containers = docs
      .filter(
        (d) => ['Deployment', 'StatefulSet'].includes(d.kind) && !INFRASTRUCTURE.includes(d.metadata.name),
      )
      .flatMap((d) => d.spec!.template!.spec.containers.map((c) => ({ d, c })));
    expect(containers.map(({ c }) => c.name).sort()).toEqual(
      ['market-supervision', 'projector', 'public-safety', 'query-api', 'urban-construction'].sort(),
    );
    for (const { d, c } of containers) {
      const where = `k8s ${d.metadata.name}/${c.name}`;
      const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
      checkServiceEnv(where, serviceOf(c.command), env);
      const port = Number(env.PORT);
      expect(
        c.ports?.map((p) => p.containerPort),
        where,
      ).toContain(port);
      expect(c.readinessProbe?.httpGet, where).toEqual({ path: '/healthz', port });
      for (const e of c.env ?? []) {
        const key = e.valueFrom?.secretKeyRef?.key;
        if (key)
          expect([...natsPasswordVars, ...PG_SECRET_KEYS], `${where}: secret key ${key}`).toContain(key);
      }
      // READ_MODEL_URL (it holds the password) only from the Secret hub-postgres.
      const url = c.env?.find((e) => e.name === 'READ_MODEL_URL');
      expect(url?.valueFrom?.secretKeyRef, where).toEqual({ name: 'hub-postgres', key: 'READ_MODEL_URL' });
    }
    const projector = docs.find((d) => d.metadata.name === 'hub-projector' && d.kind !== 'Service');
    expect(projector?.kind).toBe('StatefulSet'); // a working copy per pod
    expect(projector?.spec?.replicas).toBe(2);
  });

  it('the PostgreSQL StatefulSet takes its password from the Secret, ready by pg_isready', () => {
    const db = docs.find((d) => d.metadata.name === 'hub-postgres' && d.kind === 'StatefulSet');
    const c = db!.spec!.template!.spec.containers[0]! as Container & {
      readinessProbe?: { exec?: { command: string[] } };
    };
    expect(c.ports?.map((p) => p.containerPort)).toEqual([5432]);
    expect(c.env?.find((e) => e.name === 'POSTGRES_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({
      name: 'hub-postgres',
      key: 'POSTGRES_PASSWORD',
    });
    expect(c.readinessProbe?.exec?.command[0]).toBe('pg_isready');
  });

  it('the NATS StatefulSet runs node.conf with the variables it reads, ready on the monitoring port', () => {
    const nats = docs.find((d) => d.kind === 'StatefulSet' && d.metadata.name === 'hub-nats');
    const c = nats!.spec!.template!.spec.containers[0]!;
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/healthz', port: 8222 });
    expect(read('deploy/nats/cluster.conf')).toMatch(/^http: 0\.0\.0\.0:8222$/m);
    for (const e of c.env ?? []) expect(natsVariables, `k8s nats: ${e.name}`).toContain(e.name);
    expect(c.ports?.map((p) => p.containerPort).sort()).toEqual([4222, 6222, 8222]);
  });
});

describe('deploy/systemd', () => {
  it('each unit starts a service that exists, with variables it parses', () => {
    const units = readdirSync(`${root}/deploy/systemd`).filter((f) => f.endsWith('.service'));
    expect(units.length).toBeGreaterThanOrEqual(5);
    for (const unit of units) {
      const text = read(`deploy/systemd/${unit}`);
      const exec = /^ExecStart=(.*)$/m.exec(text)?.[1];
      const service = serviceOf(exec);
      const env = Object.fromEntries(
        [...text.matchAll(/^Environment="?([A-Z_][A-Z0-9_]*)=([^"\n]*)"?$/gm)].map((m) => [m[1]!, m[2]]),
      );
      checkServiceEnv(`systemd ${unit}`, service, env);
    }
  });
});
