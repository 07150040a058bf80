/**
 * SQL statements per chunk of the ex-officio, お知らせ and print runs (issue #20 §3), counted on SQLite:
 * a run over 6 members against the same run over 2 (one chunk each). What grows with the members is
 * only the chunk's rows on the one-row INSERT prepared once per table (no round trip on SQLite; one
 * multi-row INSERT per table on PostgreSQL): no read, no audit head and no per-member lookup.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type ServiceContext } from '../src/services/context.js';
import { printDocuments } from '../src/services/documents/print.js';
import { runExOfficio } from '../src/services/issuance-run.js';
import { issueNotices } from '../src/services/notices.js';
import { openStore } from '../src/store/db.js';
import { adminOf, makeInsurer, makeResident, notify, person } from './support/registry.js';
import { countStatements } from './support/statements.js';
import { testKeyring } from './support/stores.js';

describe('statements per chunk of the runs (SQLite)', () => {
  let ctx: ServiceContext;
  let counter: ReturnType<typeof countStatements>;
  let small = '';
  let large = '';

  async function association(members: number): Promise<string> {
    const insurerNumber = await makeInsurer(ctx);
    for (let i = 0; i < members; i++) {
      const seed = person();
      await makeResident(ctx, seed);
      await notify(ctx, {
        kind: 'acquisition',
        insurerNumber,
        recordedOn: '2024-10-01',
        symbol: '100',
        number: String(100 + i),
        acquiredOn: '2024-10-01',
        standardMonthlyRemuneration: 300_000,
        person: seed,
      });
    }
    return insurerNumber;
  }

  beforeAll(async () => {
    const store = await openStore({ file: ':memory:' });
    counter = countStatements(store.sqlite as NonNullable<typeof store.sqlite>);
    ctx = { store, keyring: testKeyring, clock: fixedClock('2025-12-02T01:00:00Z') };
    small = await association(2);
    large = await association(6);
    // The お知らせ run issues to members without one: forget those issued at acquisition.
    await store.db.deleteFrom('notice_dedupe_keys').execute();
    await store.db.deleteFrom('notices').execute();
  });
  afterAll(() => ctx.store.close());

  async function statementsOf(run: (insurerNumber: string) => Promise<unknown>) {
    counter.reset();
    await run(small);
    const smallSql = [...counter.sql];
    counter.reset();
    await run(large);
    const largeSql = [...counter.sql];
    const isInsert = (sql: string) =>
      /^insert into "(eligibility_certificates|issuance_run_members|notices|notice_dedupe_keys|audit_log)"/.test(sql);
    return {
      // Statements that are not a row of the chunk: the same count for 2 members as for 6.
      others: [smallSql.filter((s) => !isInsert(s)).length, largeSql.filter((s) => !isInsert(s)).length],
      // Rows per extra member (4 extra members).
      rowsPerMember: (largeSql.filter(isInsert).length - smallSql.filter(isInsert).length) / 4,
    };
  }

  it('ex-officio run: certificate, run row and audit record per member; the rest per chunk', async () => {
    const { others, rowsPerMember } = await statementsOf((insurerNumber) =>
      runExOfficio(ctx, adminOf(insurerNumber), { insurerNumber, asOf: '2025-12-02' }),
    );
    expect(others[1]).toBe(others[0]);
    expect(rowsPerMember).toBe(3);
  });

  it('お知らせ run: notice, audit record and dedupe key per member; the rest per chunk', async () => {
    const { others, rowsPerMember } = await statementsOf((insurerNumber) =>
      issueNotices(ctx, adminOf(insurerNumber), { insurerNumber, asOf: '2025-12-02' }),
    );
    expect(others[1]).toBe(others[0]);
    expect(rowsPerMember).toBe(3);
  });

  it('print run: one audit record per document; the rest per chunk', async () => {
    const { others, rowsPerMember } = await statementsOf((insurerNumber) =>
      printDocuments(ctx, adminOf(insurerNumber), {
        kind: 'certificates',
        insurerNumber,
        outDir: join(tmpdir(), `shikaku-run-statements-${process.pid}`),
        merged: true,
        asOf: '2025-12-02',
      }),
    );
    expect(others[1]).toBe(others[0]);
    expect(rowsPerMember).toBe(1);
  });
});
