import type { Database } from './schema.js';

/**
 * Where each table goes on a Citus cluster (docs/SCALING.md §3 quotes `citusDdl()`). Typed over
 * every table of `Database`, so a new table does not compile until it is placed; the store test
 * (citus.test.ts) checks the live schema of both stores against it.
 */
export type Placement =
  /** Hash-distributed by `column`; `colocateWith` names the table whose shards it shares. */
  | { kind: 'distributed'; column: string; colocateWith?: keyof Database; why: string }
  /** Copied to every node: small, read on every request, written rarely. */
  | { kind: 'reference'; why: string }
  /** Stays on the coordinator, added to Citus's metadata so transactions and joins may mix it in. */
  | { kind: 'local'; why: string }
  /** A view: follows the tables it reads. */
  | { kind: 'view'; why: string };

const ASSOCIATION = 'the association (保険者番号): every query of the registry, documents and issuance names one';
const byAssociation = (why = ASSOCIATION): Placement => ({
  kind: 'distributed',
  column: 'insurer_number',
  colocateWith: 'members',
  why,
});
const J_LIS =
  'the J-LIS stand-in, per person not per association: keeps its row locks (PIN counter) and the unique certificate fingerprint as on one PostgreSQL; a real deployment asks J-LIS instead';

export const CITUS_PLACEMENT: { readonly [T in keyof Database]: Placement } = {
  insurers: { kind: 'reference', why: 'a few hundred rows, joined by every association query' },
  members: { kind: 'distributed', column: 'insurer_number', why: ASSOCIATION },
  member_versions: byAssociation(),
  notifications: byAssociation(),
  legacy_cards: byAssociation(),
  eligibility_certificates: byAssociation(),
  notices: byAssociation(),
  notice_dedupe_keys: byAssociation('written with its notice, in the same shard'),
  paper_certificates: byAssociation(),
  applications: byAssociation(),
  issuance_runs: byAssociation(),
  issuance_run_members: byAssociation('written with the run’s certificates, in the same shard'),
  verification_misses: byAssociation('a number verification reads and bumps it with the member it looked for'),
  verification_locks: byAssociation('the alert an association lists'),
  verifications: {
    kind: 'distributed',
    column: 'provider_code',
    why: 'every row has a provider (a miss has no association); written once, read by the provider’s log',
  },
  challenges: {
    kind: 'distributed',
    column: 'challenge',
    why: 'issued, then used once by a single-row conditional UPDATE on its key',
  },
  oqs_bulk_requests: {
    kind: 'distributed',
    column: 'reception_number',
    why: 'a provider’s batch, polled and answered by its reception number',
  },
  oqs_bulk_results: {
    kind: 'distributed',
    column: 'reception_number',
    colocateWith: 'oqs_bulk_requests',
    why: 'written and read with its request',
  },
  notification_jobs: {
    kind: 'distributed',
    column: 'id',
    why: 'its association may be null (a system actor); a job is read and leased by its id',
  },
  notification_job_rows: {
    kind: 'distributed',
    column: 'job_id',
    colocateWith: 'notification_jobs',
    why: 'written and read with its job',
  },
  tokens: { kind: 'reference', why: 'read on every request (cached 3 s), written on create and revoke' },
  ca: { kind: 'reference', why: 'one row, immutable' },
  residents: { kind: 'local', why: J_LIS },
  cards: { kind: 'local', why: J_LIS },
  card_certificates: { kind: 'local', why: J_LIS },
  card_registrations: { kind: 'local', why: J_LIS },
  audit_log: {
    kind: 'local',
    why: 'the chains (one per association, provider or actor, and the closed legacy one) and the global seq sequence stay where `shikaku audit verify` walks them',
  },
  audit_chains: { kind: 'local', why: 'the head rows of the chains, locked by their writers; with audit_log' },
  audit_head: { kind: 'view', why: 'reads audit_log' },
};

/**
 * Primary keys, unique constraints and foreign keys of the distributed tables that do not include
 * the distribution column: Citus requires it in each. Run on the coordinator before distributing.
 * Generated from CITUS_PLACEMENT where the change is mechanical; constraint names are PostgreSQL's
 * (`<table>_pkey`, `<table>_<column>_fkey`) or those the migrations gave.
 */
export function citusConstraintDdl(): string[] {
  const ddl: string[] = [];
  // Foreign keys to a primary key that changes go first, and come back composite.
  const keys: Array<[table: string, column: string, parent: string, constraint: string]> = [
    ['member_versions', 'member_id', 'members', 'member_versions_member_id_fkey'],
    ['legacy_cards', 'member_id', 'members', 'legacy_cards_member_id_fkey'],
    ['eligibility_certificates', 'member_id', 'members', 'eligibility_certificates_member_id_fkey'],
    ['eligibility_certificates', 'run_id', 'issuance_runs', 'eligibility_certificates_run_id_fkey'],
    ['notices', 'member_id', 'members', 'notices_member_id_fkey'],
    ['applications', 'member_id', 'members', 'applications_member_id_fkey'],
    ['paper_certificates', 'member_id', 'members', 'paper_certificates_member_id_fkey'],
    ['issuance_run_members', 'run_id', 'issuance_runs', 'issuance_run_members_run_id_fkey'],
    ['notice_dedupe_keys', 'notice_id', 'notices', 'notice_dedupe_keys_notice_id_fkey'],
  ];
  for (const [table, , , constraint] of keys) ddl.push(`ALTER TABLE ${table} DROP CONSTRAINT ${constraint};`);
  const primaryKeys: Array<[table: string, constraint: string, columns: string]> = [
    ['members', 'members_pkey', 'insurer_number, id'],
    ['member_versions', 'member_versions_pk', 'insurer_number, member_id, version'],
    ['notifications', 'notifications_pkey', 'insurer_number, id'],
    ['legacy_cards', 'legacy_cards_pkey', 'insurer_number, id'],
    ['eligibility_certificates', 'eligibility_certificates_pkey', 'insurer_number, id'],
    ['notices', 'notices_pkey', 'insurer_number, id'],
    ['notice_dedupe_keys', 'notice_dedupe_keys_pkey', 'insurer_number, dedupe_key'],
    ['paper_certificates', 'paper_certificates_pkey', 'insurer_number, id'],
    ['applications', 'applications_pkey', 'insurer_number, id'],
    ['issuance_runs', 'issuance_runs_pkey', 'insurer_number, id'],
    ['issuance_run_members', 'issuance_run_members_pk', 'insurer_number, run_id, member_id'],
    ['verification_locks', 'verification_locks_pkey', 'insurer_number, id'],
    ['verifications', 'verifications_pkey', 'provider_code, id'],
  ];
  for (const [table, constraint, columns] of primaryKeys) {
    ddl.push(
      `ALTER TABLE ${table} DROP CONSTRAINT ${constraint}, ADD CONSTRAINT ${constraint} PRIMARY KEY (${columns});`,
    );
  }
  const uniques: Array<[table: string, constraint: string, columns: string]> = [
    ['notifications', 'notifications_idempotency_key_key', 'insurer_number, idempotency_key'],
    ['eligibility_certificates', 'eligibility_certificates_run_member', 'insurer_number, run_id, member_id'],
  ];
  for (const [table, constraint, columns] of uniques) {
    ddl.push(`ALTER TABLE ${table} DROP CONSTRAINT ${constraint}, ADD CONSTRAINT ${constraint} UNIQUE (${columns});`);
  }
  for (const [table, column, parent, constraint] of keys) {
    ddl.push(
      `ALTER TABLE ${table} ADD CONSTRAINT ${constraint} FOREIGN KEY (insurer_number, ${column}) REFERENCES ${parent} (insurer_number, id);`,
    );
  }
  return ddl;
}

/**
 * The whole script, in the order Citus needs: constraints first, reference tables (distributed
 * tables may reference them), then each co-location group's leader before the tables that follow it.
 * Local tables and views need nothing.
 */
export function citusDdl(): string[] {
  const entries = Object.entries(CITUS_PLACEMENT) as Array<[keyof Database, Placement]>;
  const ddl = [...citusConstraintDdl()];
  for (const [table, p] of entries) if (p.kind === 'reference') ddl.push(`SELECT create_reference_table('${table}');`);
  const distributed = entries.filter(
    (e): e is [keyof Database, Extract<Placement, { kind: 'distributed' }>] => e[1].kind === 'distributed',
  );
  const leaders = distributed.filter(([, p]) => p.colocateWith === undefined);
  for (const [table, p] of leaders) {
    ddl.push(`SELECT create_distributed_table('${table}', '${p.column}');`);
    for (const [follower, f] of distributed) {
      if (f.colocateWith === table) {
        ddl.push(`SELECT create_distributed_table('${follower}', '${f.column}', colocate_with => '${table}');`);
      }
    }
  }
  for (const [table, p] of entries) {
    if (p.kind === 'local') ddl.push(`SELECT citus_add_local_table_to_metadata('${table}');`);
  }
  return ddl;
}
