/**
 * Crash safety of the CSV import (issue #6 item 2; DESIGN.md §3.6): `shikaku import` is SIGKILLed
 * twice in the middle of a big file, then run to the end. Every row's key must be in the store exactly
 * once, every row's member exactly once, and the store must pass its integrity checks.
 * SHIKAKU_CRASH_ROWS sets the size (default 3,000 rows on SQLite and 1,500 on PostgreSQL, whose
 * row-per-transaction import is slower, so each store stays near 30 s on a small CI
 * machine; 20,000 was run by hand, see docs/OPERATIONS.md).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { myNumberCheckDigit } from '../../src/domain/mynumber.js';
import { makeInsurer } from '../support/registry.js';
import { STORE_KINDS } from '../support/stores.js';
import { type CrashStore, crashStore, runShikaku, storeHealth } from './support.js';

const ROWS_BY_KIND = { sqlite: 3000, postgres: 1500 } as const;
const INSURER = '06139992';

/** Insured members with explicit 番号, every fifth row a dependent of the row before. */
function bigCsv(rows: number): string {
  const lines = ['キー,種別,記号,番号,被保険者記号,被保険者番号,資格取得日,個人番号,氏名,フリガナ,生年月日,性別,住所'];
  for (let i = 1; i <= rows; i++) {
    const first11 = String(80_000_000_000 + i);
    const myNumber = `${first11}${myNumberCheckDigit(first11)}`;
    if (i % 5 === 0) {
      lines.push(
        `crash-${i},被扶養者追加,,,7001,${i - 1},2025-11-01,${myNumber},試験 子${i},シケン コ,2015-05-05,女,東京都`,
      );
    } else {
      lines.push(`crash-${i},取得,7001,${i},,,2025-11-01,${myNumber},試験 太郎${i},シケン タロウ,1980-01-01,男,東京都`);
    }
  }
  return `${lines.join('\n')}\n`;
}

describe.each(STORE_KINDS)('shikaku import killed with SIGKILL on %s', (kind) => {
  const ROWS = Number(process.env.SHIKAKU_CRASH_ROWS ?? ROWS_BY_KIND[kind]);
  let store: CrashStore;
  let csv: string;
  beforeAll(async () => {
    store = await crashStore(kind);
    const ctx = await store.context();
    await makeInsurer(ctx, INSURER);
    csv = join(tmpdir(), `shikaku-crash-${kind}-${process.pid}.csv`);
    writeFileSync(csv, bigCsv(ROWS));
  });
  afterAll(() => store.dispose());

  const notifications = async () =>
    Number((await store.query<{ n: number | string }>('select count(*) as n from notifications'))[0]?.n ?? 0);

  it(
    're-running after two kills writes every row exactly once and leaves a sound store',
    async () => {
      const args = ['import', csv, '--insurer', INSURER, '--db', store.db, '--recorded-on', '2025-11-21'];
      const first = await runShikaku(args, { progress: notifications, killWhen: (n) => n >= ROWS * 0.15 });
      expect(first.signal).toBe('SIGKILL');
      const afterFirst = await notifications();
      expect(afterFirst).toBeGreaterThan(0);
      expect(afterFirst).toBeLessThan(ROWS);

      const second = await runShikaku(args, { progress: notifications, killWhen: (n) => n >= ROWS * 0.4 });
      expect(second.signal).toBe('SIGKILL');
      const afterSecond = await notifications();
      expect(afterSecond).toBeGreaterThan(afterFirst);
      expect(afterSecond).toBeLessThan(ROWS);

      const last = await runShikaku(args);
      expect(last.stderr).toBe('');
      expect(last.code).toBe(0);
      // The last run replays what the killed runs committed and writes the rest.
      expect(last.stdout).toContain(
        `${ROWS} rows: ${ROWS} accepted (${ROWS - afterSecond} written, ${afterSecond} already imported), 0 rejected`,
      );

      const keys = await store.query<{ idempotency_key: string; n: number | string }>(
        'select idempotency_key, count(*) as n from notifications group by idempotency_key',
      );
      expect(keys).toHaveLength(ROWS);
      expect(keys.every((k) => Number(k.n) === 1)).toBe(true);
      const expected = new Set(Array.from({ length: ROWS }, (_, i) => `${INSURER}:crash-${i + 1}`));
      expect(new Set(keys.map((k) => k.idempotency_key))).toEqual(expected);

      const [members] = await store.query<{ n: number | string; people: number | string; identities: number | string }>(
        `select count(*) as n, count(distinct my_number_index) as people,
                count(distinct symbol || '-' || number || '-' || branch) as identities from members`,
      );
      expect(Number(members?.n)).toBe(ROWS);
      expect(Number(members?.people)).toBe(ROWS);
      expect(Number(members?.identities)).toBe(ROWS);
      const [versions] = await store.query<{ n: number | string }>('select count(*) as n from member_versions');
      expect(Number(versions?.n)).toBe(ROWS);
      const dependents = await store.query<{ n: number | string }>(
        "select count(*) as n from members where relationship = 'dependent' and insured_member_id is not null",
      );
      expect(Number(dependents[0]?.n)).toBe(Math.floor(ROWS / 5));
      // One audit record per notification: none lost with a rolled-back row, none doubled by a replay.
      const audits = await store.query<{ member_id: string; n: number | string }>(
        "select member_id, count(*) as n from audit_log where action like 'notification.%' group by member_id",
      );
      expect(audits).toHaveLength(ROWS);
      expect(audits.every((a) => Number(a.n) === 1)).toBe(true);

      const health = await storeHealth(store);
      if (kind === 'sqlite') {
        expect(health.integrity).toEqual(['ok']);
        expect(health.foreignKeyViolations).toBe(0);
      }
      expect(health.audit).toMatchObject({ ok: true });
    },
    Math.max(120_000, ROWS * 20),
  );
});
