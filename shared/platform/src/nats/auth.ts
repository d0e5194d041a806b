/**
 * The hub's NATS identities and what each may do, generated from the agency list so that
 * deploy/nats/auth.conf and the local hub's configuration never drift: each agency service may
 * publish only to its departments' subjects, each directly-publishing department only to its
 * own, the projector reads events and writes alerts and dead letters. Every identity receives
 * replies only under its own inbox prefix (`_INBOX.<user>`), so no one reads another's acks
 * or the projector's deliveries.
 *
 * Two forms: passwords from nats-server's environment (deploy/, `NATS_PASS_<USER>`), or NKey
 * public keys (the local hub, whose seeds stay in the data folder).
 *
 * @example
 * writeFileSync('deploy/nats/auth.conf', natsAuthConfig());
 * writeFileSync(join(dir, 'nats-auth.conf'), natsAuthConfig({ nkeys: { admin: 'UA…', … } }));
 */
import {
  AGENCIES,
  AGENCY_CODES,
  agencyEventSubjects,
  agenciesOfService,
  EVENTS_STREAM,
  SERVICES,
  type ServiceName,
} from '@hub/domain';

export interface NatsUser {
  user: string;
  publish: string[];
  subscribe: string[];
  /** May answer requests (the projector answers `hub dlq retry`). */
  allowResponses?: boolean;
  comment: string;
  /** The department this identity publishes for, when it is a direct publisher. */
  agency?: string;
}

/** Every event of the finance bureau is a payment (缴罚分离); services relay them for their departments. */
const FINANCE_PAYMENTS = 'enf.evt.CZJ.payment_received.>';
/** Stream lookups a publisher needs; no stream or consumer management. */
const JS_INFO = ['$JS.API.INFO', `$JS.API.STREAM.INFO.${EVENTS_STREAM}`];

/** Where an identity's replies arrive: its connection must use this inbox prefix. */
export const inboxPrefixOf = (user: string): string => `_INBOX.${user}`;
const ownInbox = (user: string) => `${inboxPrefixOf(user)}.>`;

export const passwordVariable = (user: string): string =>
  `NATS_PASS_${user.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** The identity of a department that publishes directly, e.g. `dept-nyj`. */
export const departmentUser = (agency: string): string => `dept-${agency.toLowerCase()}`;

export const ADMIN_USER = 'admin';
export const PROJECTOR_USER = 'projector';

export function natsUsers(): NatsUser[] {
  const services = (Object.keys(SERVICES) as ServiceName[]).map((service): NatsUser => ({
    user: service,
    comment: `${SERVICES[service].name} agency service`,
    // Single messages of the events stream too: reconciliation reads back what it published.
    publish: [
      ...agenciesOfService(service).map(agencyEventSubjects),
      FINANCE_PAYMENTS,
      ...JS_INFO,
      `$JS.API.STREAM.MSG.GET.${EVENTS_STREAM}`,
    ],
    subscribe: [ownInbox(service)],
  }));
  const direct = AGENCY_CODES.filter((c) => AGENCIES[c]?.service === undefined).map((code): NatsUser => {
    const user = departmentUser(code);
    return {
      user,
      agency: code,
      comment: `${AGENCIES[code]?.name ?? code} publishes directly`,
      publish: [code === 'CZJ' ? FINANCE_PAYMENTS : agencyEventSubjects(code), ...JS_INFO],
      subscribe: [ownInbox(user)],
    };
  });
  return [
    ...services,
    {
      user: PROJECTOR_USER,
      comment: 'projector: consumes events, writes alerts and dead letters, answers dlq retry',
      publish: [
        '$JS.API.INFO',
        '$JS.API.STREAM.INFO.>',
        `$JS.API.STREAM.MSG.GET.${EVENTS_STREAM}`,
        '$JS.API.STREAM.MSG.GET.ENF_KEYS',
        '$JS.API.CONSUMER.>',
        '$JS.ACK.>',
        'enf.alert.>',
        'enf.dlq.>',
        // Time and the working-day calendar enter the stream as the committee office's events.
        'enf.evt.ZWH.clock_ticked.>',
        'enf.evt.ZWH.calendar_version_published.>',
      ],
      subscribe: [ownInbox(PROJECTOR_USER), 'hub.projector.>'],
      allowResponses: true,
    },
    ...direct,
    {
      user: ADMIN_USER,
      comment: 'operators and the launcher: create streams (hub streams apply), audit replay',
      publish: ['>'],
      subscribe: ['>'],
    },
  ];
}

const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;

export interface AuthConfigOptions {
  /** NKey public key per user: the local hub's form. Without it, passwords from the environment. */
  nkeys?: Readonly<Record<string, string>>;
}

/** The authorization block for nats-server ≥ 2.9 (users in the global account). */
export function natsAuthConfig(opts: AuthConfigOptions = {}): string {
  const users = natsUsers().flatMap((u) => {
    const nkey = opts.nkeys?.[u.user];
    if (opts.nkeys && nkey === undefined) return [];
    const identity = nkey
      ? [`      nkey: ${JSON.stringify(nkey)}`]
      : [`      user: ${JSON.stringify(u.user)}`, `      password: $${passwordVariable(u.user)}`];
    return [
      [
        `    # ${u.comment}${nkey ? ` (${u.user})` : ''}`,
        `    {`,
        ...identity,
        `      permissions: {`,
        `        publish: { allow: ${list(u.publish)} }`,
        `        subscribe: { allow: ${list(u.subscribe)} }`,
        ...(u.allowResponses ? ['        allow_responses: true'] : []),
        `      }`,
        `    }`,
      ].join('\n'),
    ];
  });
  const header = opts.nkeys
    ? [
        '# Generated by the hub launcher from the NKeys in this folder — do not edit by hand.',
        '# Public keys only: each seed (*.nk) stays beside this file, readable by its owner alone.',
      ]
    : [
        '# Generated by natsAuthConfig() in shared/platform/src/nats/auth.ts — do not edit by hand.',
        '# Regenerate: node -e "import(\'@hub/platform\').then(m => process.stdout.write(m.natsAuthConfig()))" > deploy/nats/auth.conf',
        '# Passwords come from the environment of nats-server: NATS_PASS_<USER> (upper case, _ for -).',
        '# Each user receives replies only under its own inbox prefix, _INBOX.<user> (clients set it).',
      ];
  return [...header, 'authorization {', '  users: [', users.join('\n'), '  ]', '}', ''].join('\n');
}
