/**
 * The set writer against the per-row path (issue #20): random files of every kind, with bad rows,
 * taken 記号・番号 and My Numbers, dependents of insureds of the same file, auto-numbered rows and
 * reused idempotency keys, imported into two fresh stores, one each way, then imported again (replays).
 * The reports and every row written (members, versions, notifications, お知らせ, audit) must be the
 * same, ids and timestamps aside.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { adminOf, makeInsurer, makeResident, person, wrongCheckDigit } from '../../../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../../../test/support/stores.js';
import type { ServiceContext } from '../../context.js';
import { fixedClock } from '../../context.js';
import { importCsv } from '../../csv-import.js';
import { runExOfficio } from '../../issuance-run.js';

const INSURER = '06139992';
const HEADER =
  'kind,insurerNumber,symbol,number,branch,insuredSymbol,insuredNumber,acquiredOn,lostOn,standardMonthlyRemuneration,myNumber,name,nameKana,birthDate,sex,address,key';

/** A small seeded generator (mulberry32), so a failing seed can be run again. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { chance: (p: number) => next() < p, int: (n: number) => Math.floor(next() * n) };
}

interface File {
  csv: string;
  residents: ReturnType<typeof person>[];
}

function randomFile(seed: number, rows: number): File {
  const rng = prng(seed);
  const residents: ReturnType<typeof person>[] = [];
  const numbers: string[][] = [];
  const myNumbers: string[] = [];
  const keys: string[] = [];
  let nextNumber = 1;
  const lines = [HEADER];
  const pick = <T>(list: readonly T[]): T | undefined => list[rng.int(list.length)];
  const who = () => {
    if (myNumbers.length > 0 && rng.chance(0.08))
      return { myNumber: pick(myNumbers) as string, birthDate: '1980-04-01' };
    if (rng.chance(0.05)) return { myNumber: '', birthDate: '1985-01-01' };
    const p = person({ birthDate: rng.chance(0.03) ? '2025-11-15' : '1979-06-01' });
    if (rng.chance(0.85)) residents.push(rng.chance(0.1) ? { ...p, name: '協会 次郎' } : p);
    myNumbers.push(p.myNumber);
    return { myNumber: rng.chance(0.02) ? wrongCheckDigit(p.myNumber) : p.myNumber, birthDate: p.birthDate };
  };
  for (let i = 0; i < rows; i++) {
    const key = rng.chance(0.7) ? (keys.length > 0 && rng.chance(0.06) ? pick(keys) : `k${seed}-${i}`) : '';
    if (key) keys.push(key);
    const roll = rng.int(100);
    const symbol = String(700 + rng.int(2));
    const cells: Record<string, string> = { insurerNumber: INSURER, key: key ?? '' };
    if (roll < 45 || numbers.length === 0) {
      const taken = numbers.length > 0 && rng.chance(0.04);
      const number = taken ? (pick(numbers)?.[1] as string) : rng.chance(0.08) ? '' : String(nextNumber++);
      const p = who();
      Object.assign(cells, { kind: 'acquisition', symbol, number, acquiredOn: '2025-11-01', ...p });
      Object.assign(cells, {
        name: '協会 太郎',
        nameKana: 'キョウカイ タロウ',
        sex: '男',
        address: '東京都千代田区霞が関1-2-2',
      });
      if (rng.chance(0.5)) cells.standardMonthlyRemuneration = String(200_000 + rng.int(3) * 100_000);
      if (number !== '') numbers.push([symbol, number]);
    } else if (roll < 78) {
      const [s, n] = rng.chance(0.92) ? (pick(numbers) as string[]) : [symbol, '99999'];
      const p = who();
      Object.assign(cells, {
        kind: 'dependent_add',
        insuredSymbol: s,
        insuredNumber: n,
        acquiredOn: '2025-11-05',
        ...p,
      });
      Object.assign(cells, {
        name: '協会 花子',
        nameKana: 'キョウカイ ハナコ',
        sex: '女',
        address: '東京都千代田区霞が関1-2-2',
      });
      if (rng.chance(0.3)) cells.branch = `0${1 + rng.int(4)}`;
    } else if (roll < 86) {
      const [s, n] = pick(numbers) as string[];
      Object.assign(cells, { kind: 'loss', symbol: s, number: n, lostOn: '2025-11-10' });
    } else if (roll < 94) {
      const [s, n] = pick(numbers) as string[];
      Object.assign(cells, { kind: 'change', symbol: s, number: n });
      const what = rng.int(3);
      if (what === 0) cells.standardMonthlyRemuneration = '360000';
      else if (what === 1) cells.name = '協会 三郎';
      else cells.address = '東京都港区芝公園4-2-8';
      if (rng.chance(0.2)) cells.branch = `0${rng.int(3)}`;
    } else {
      Object.assign(cells, {
        kind: rng.chance(0.5) ? 'transfer' : 'acquisition',
        symbol,
        number: String(nextNumber++),
      });
    }
    lines.push(
      HEADER.split(',')
        .map((c) => cells[c] ?? '')
        .join(','),
    );
  }
  return { csv: `${lines.join('\n')}\n`, residents };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const DROPPED = new Set(['id', 'created_at', 'at', 'my_number_enc', 'hash', 'prev_hash']);

/** A row as compared: ids and timestamps out, and every id inside a value the same placeholder. */
function comparable(row: Record<string, unknown>): string {
  const kept = Object.entries(row)
    .filter(([k]) => !DROPPED.has(k))
    .map(([k, v]) => [k, typeof v === 'string' ? v.replace(UUID, '<id>') : v === null ? null : Number(v)]);
  return JSON.stringify(Object.fromEntries(kept));
}

async function snapshot(ctx: ServiceContext) {
  const { db } = ctx.store;
  const sorted = (rows: Record<string, unknown>[]) => rows.map(comparable).sort();
  return {
    members: sorted(await db.selectFrom('members').selectAll().execute()),
    versions: sorted(await db.selectFrom('member_versions').selectAll().execute()),
    notifications: sorted(await db.selectFrom('notifications').selectAll().execute()),
    notices: sorted(await db.selectFrom('notices').selectAll().execute()),
    // In log order: the set writer must seal the same records in the same order.
    audit: (await db.selectFrom('audit_log').selectAll().orderBy('seq').execute()).map(comparable),
  };
}

describe.each(STORE_KINDS)('the set writer against the per-row path on %s', (kind) => {
  const open: ServiceContext[] = [];
  afterEach(async () => {
    for (const ctx of open.splice(0)) await ctx.store.close();
  });

  async function store(file: File): Promise<ServiceContext> {
    const ctx = await openTestContext(kind);
    open.push(ctx);
    await makeInsurer(ctx, INSURER);
    for (const r of file.residents) await makeResident(ctx, r);
    return ctx;
  }

  it.each([1, 2, 3, 4, 5, 6])('random file %i: same reports and rows, then the same replays', async (seed) => {
    const file = randomFile(seed, kind === 'sqlite' ? 400 : 200);
    const [perRow, set] = [await store(file), await store(file)];
    const first = [await importCsv(perRow, file.csv, { perRow: true }), await importCsv(set, file.csv)].map((r) =>
      comparable({ r: JSON.stringify(r) }),
    );
    expect(first[1]).toEqual(first[0]);
    const again = [await importCsv(perRow, file.csv, { perRow: true }), await importCsv(set, file.csv)].map((r) =>
      comparable({ r: JSON.stringify(r) }),
    );
    expect(again[1]).toEqual(again[0]);
    expect(await snapshot(set)).toEqual(await snapshot(perRow));
    // The file exercises what it should: written rows, refused rows, replays.
    const report = JSON.parse(JSON.parse(first[0] as string).r);
    expect(report.written).toBeGreaterThan(report.total / 3);
    expect(report.rejected).toBeGreaterThan(0);
    expect(JSON.parse(JSON.parse(again[0] as string).r).replayed).toBeGreaterThan(0);
  });

  it('losses and renames of members holding a 資格確認書 collect it as the per-row path does', async () => {
    const first = randomFile(8, kind === 'sqlite' ? 300 : 150);
    const [perRow, set] = [await store(first), await store(first)].map((ctx) => ({
      ...ctx,
      clock: fixedClock('2025-12-15T01:00:00Z'),
    })) as [ServiceContext, ServiceContext];
    for (const ctx of [perRow, set]) {
      await importCsv(ctx, first.csv, { perRow: true });
      await runExOfficio(ctx, adminOf(INSURER), { insurerNumber: INSURER, asOf: '2025-12-02' });
    }
    // Every insured of the first file is ended, renamed, moved or given a new remuneration.
    const rng = prng(9);
    const lines = [HEADER];
    for (const line of first.csv.trim().split('\n').slice(1)) {
      const [k, , symbol, number] = line.split(',');
      if (k !== 'acquisition' || !number) continue;
      const cells: Record<string, string> = { insurerNumber: INSURER, symbol: symbol as string, number };
      const roll = rng.int(4);
      if (roll === 0) Object.assign(cells, { kind: 'loss', lostOn: '2025-12-10' });
      else if (roll === 1) Object.assign(cells, { kind: 'change', name: '協会 四郎' });
      else if (roll === 2) Object.assign(cells, { kind: 'change', address: '大阪府大阪市北区1-1' });
      else Object.assign(cells, { kind: 'change', standardMonthlyRemuneration: '410000' });
      lines.push(
        HEADER.split(',')
          .map((c) => cells[c] ?? '')
          .join(','),
      );
    }
    const csv = `${lines.join('\n')}\n`;
    const a = await importCsv(perRow, csv, { perRow: true });
    const b = await importCsv(set, csv);
    expect(comparable({ r: JSON.stringify(b) })).toEqual(comparable({ r: JSON.stringify(a) }));
    const certificates = (ctx: ServiceContext) =>
      ctx.store.db.selectFrom('eligibility_certificates').selectAll().execute();
    const [left, right] = [await certificates(perRow), await certificates(set)];
    expect(right.map(comparable).sort()).toEqual(left.map(comparable).sort());
    expect(await snapshot(set)).toEqual(await snapshot(perRow));
    // The files exercise what they should: certificates collected, and rows written set-wise too.
    expect(left.filter((c) => c.collected_on !== null).length).toBeGreaterThan(0);
    expect(a.written).toBeGreaterThan(lines.length / 2);
  });

  it.runIf(kind === 'sqlite')(
    'a store error while writing a run records that run through the per-row path',
    async () => {
      const file = randomFile(7, 120);
      const [perRow, set] = [await store(file), await store(file)];
      // The sixth お知らせ fails to insert, in both stores: the set writer's run fails as a whole,
      // and its rows then fail or succeed one by one exactly as the per-row path's.
      for (const ctx of [perRow, set]) {
        await sql`create trigger sixth_notice before insert on notices when (select count(*) from notices) = 5
          begin select raise(abort, 'refused'); end`.execute(ctx.store.db);
      }
      const a = await importCsv(perRow, file.csv, { perRow: true });
      const b = await importCsv(set, file.csv);
      expect(b.rows.filter((r) => !r.ok && r.error.code === 'INTERNAL').length).toBeGreaterThan(0);
      expect(comparable({ r: JSON.stringify(b) })).toEqual(comparable({ r: JSON.stringify(a) }));
      expect(await snapshot(set)).toEqual(await snapshot(perRow));
    },
  );
});
