/**
 * SQL statements per chunk of the ex-officio, お知らせ and print runs (issue #20 §3), counted on SQLite:
 * a run over 6 members against the same run over 2 (one chunk each). What grows with the members is
 * only the chunk's rows on the one-row INSERT prepared once per table (no round trip on SQLite; one
 * multi-row INSERT per table on PostgreSQL): no read, no audit head and no per-member lookup.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMyNumber } from '../src/cards/testing.js';
import { residentSchema } from '../src/contract/residents.js';
import { systemActor } from '../src/services/actor.js';
import { fixedClock, type ServiceContext } from '../src/services/context.js';
import { printDocuments } from '../src/services/documents/print.js';
import { createInsurer } from '../src/services/insurers.js';
import { runExOfficio } from '../src/services/issuance-run.js';
import { issueNotices } from '../src/services/notices.js';
import { parseNotification, submitNotification } from '../src/services/registry.js';
import { upsertResident } from '../src/services/residents.js';
import { openStore } from '../src/store/db.js';
import { countStatements } from './support/statements.js';
import { testKeyring } from './support/stores.js';

const SMALL = '06139984';
const LARGE = '06130017';
const operator = systemActor('operator');
const adminOf = (insurerNumber: string) => systemActor('admin', { insurerNumber });

describe('statements per chunk of the runs (SQLite)', () => {
  let ctx: ServiceContext;
  let counter: ReturnType<typeof countStatements>;
  let seed = 9200;

  async function association(insurerNumber: string, members: number): Promise<void> {
    await createInsurer(ctx, operator, {
      insurerNumber,
      name: `テスト健康保険組合${insurerNumber}`,
      certificatePolicy: { validYears: 5 },
      reissueFeeYen: 500,
      newMemberCertificate: 'ex_officio',
    });
    for (let i = 0; i < members; i++) {
      const person = residentSchema.parse({
        myNumber: testMyNumber(++seed),
        name: `試験 ${seed}`,
        nameKana: 'シケン タロウ',
        birthDate: '1980-04-01',
        sex: 'male',
        address: '東京都千代田区霞が関1-2-2',
      });
      await upsertResident(ctx, operator, person);
      await submitNotification(
        ctx,
        adminOf(insurerNumber),
        parseNotification({
          kind: 'acquisition',
          insurerNumber,
          recordedOn: '2024-10-01',
          symbol: '100',
          number: String(seed),
          acquiredOn: '2024-10-01',
          standardMonthlyRemuneration: 300_000,
          person: {
            myNumber: person.myNumber,
            name: person.name,
            nameKana: person.nameKana,
            birthDate: person.birthDate,
            sex: person.sex,
            address: person.address,
          },
        }),
      );
    }
  }

  beforeAll(async () => {
    const store = await openStore({ file: ':memory:' });
    counter = countStatements(store.sqlite as NonNullable<typeof store.sqlite>);
    ctx = { store, keyring: testKeyring, clock: fixedClock('2025-12-02T01:00:00Z') };
    await association(SMALL, 2);
    await association(LARGE, 6);
    // The お知らせ run issues to members without one: forget those issued at acquisition.
    await store.db.deleteFrom('notice_dedupe_keys').execute();
    await store.db.deleteFrom('notices').execute();
  });
  afterAll(() => ctx.store.close());

  async function statementsOf(run: (insurerNumber: string) => Promise<unknown>) {
    counter.reset();
    await run(SMALL);
    const small = [...counter.sql];
    counter.reset();
    await run(LARGE);
    const large = [...counter.sql];
    const isInsert = (sql: string) =>
      /^insert into "(eligibility_certificates|issuance_run_members|notices|notice_dedupe_keys|audit_log)"/.test(sql);
    return {
      // Statements that are not a row of the chunk: the same count for 2 members as for 6.
      others: [small.filter((s) => !isInsert(s)).length, large.filter((s) => !isInsert(s)).length],
      // Rows per extra member (4 extra members).
      rowsPerMember: (large.filter(isInsert).length - small.filter(isInsert).length) / 4,
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
