/**
 * OQS 一括照会 (issue #15): queued in the store, answered in the background, fetched later by the
 * ReceptionNumber, only by the provider that posted it; a restart between posting and fetching, and
 * a worker that died half-way, lose nothing. Answers read with test/oqs/reader.ts.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import type { ServiceContext } from '../src/services/context.js';
import { fixedClock } from '../src/services/context.js';
import { startBulkWorker } from '../src/services/oqs-bulk.js';
import { openStore } from '../src/store/db.js';
import { clinicView, readOqsAnswer } from './oqs/reader.js';
import { AS_OF, buildOqsWorld, infoOf, type OqsWorld, PROVIDER } from './oqs/world.js';
import { STORE_KINDS, testKeyring, testStoreTargets } from './support/stores.js';

const targets = testStoreTargets('oqs-bulk');
afterAll(() => targets.remove());

function bulkJson(items: Array<Record<string, string | undefined>>, header: Record<string, string> = {}) {
  return {
    XmlMsg: {
      MessageHeader: { QualificationConfirmationDate: AS_OF, MedicalInstitutionCode: PROVIDER, ...header },
      MessageBody: { QualificationConfirmSearchInfo: items },
    },
  };
}

async function count(ctx: ServiceContext, table: 'audit_log' | 'verifications'): Promise<number> {
  const row = await ctx.store.db
    .selectFrom(table)
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(STORE_KINDS)('OQS bulk on %s', (kind) => {
  let target: { file?: string; databaseUrl?: string };
  let ctx: ServiceContext;
  let w: OqsWorld;
  let app: FastifyInstance;
  const clock = fixedClock('2026-11-30T09:00:00Z');

  async function open() {
    const store = await openStore(target);
    ctx = { store, keyring: testKeyring, clock };
    app = await buildApp({ ctx, limits: { verifyPerMinute: 0 } });
  }
  async function close() {
    await app.close();
    await ctx.store.close();
  }
  const get = (reception: string, token = w.provider, accept?: string) =>
    app.inject({
      method: 'GET',
      url: `/oqs-api-pro/bulk/${reception}`,
      headers: { authorization: `Bearer ${token}`, ...(accept ? { accept } : {}) },
    });
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/oqs-api-pro/bulk',
      headers: { authorization: `Bearer ${w.provider}`, 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const read = (res: { rawPayload: Buffer; headers: Record<string, unknown> }) =>
    readOqsAnswer(res.rawPayload, String(res.headers['content-type']));

  beforeAll(async () => {
    target = await targets.target(kind, 'bulk');
    await open();
    w = await buildOqsWorld(ctx);
    await w.app.close();
  });
  afterAll(close);

  it('answers a ReceptionNumber at once, 処理中 until the worker ran, then every BulkConfirmUnit in order; survives a restart', async () => {
    const items = [
      infoOf(w.people.taro, w.insurer, { ArbitraryIdentifier: 'A' }),
      infoOf(w.people.hanako, w.insurer, { ArbitraryIdentifier: 'B' }),
      infoOf(w.people.taro, w.insurer, { Birthdate: undefined, ArbitraryIdentifier: 'C' }),
      infoOf(w.people.jiro, w.insurer, { ArbitraryIdentifier: 'D' }),
      infoOf({ symbol: '1234', number: '999', branch: '00', birthDate: '1990-01-01' }, w.insurer),
    ];
    const posted = await post(bulkJson(items, { ArbitraryFileIdentifier: 'tomorrow' }));
    expect(posted.statusCode).toBe(200);
    const p = read(posted);
    expect(p.header).toMatchObject({ SegmentOfResult: '1', MedicalInstitutionCode: PROVIDER });
    const reception = p.body.fields.ReceptionNumber as string;
    expect(reception).toMatch(/^\d{20}$/);
    // 2026-11-30T09:00Z = 18:00 in Japan.
    expect(p.body.fields.ReceptionDateTime).toBe('20261130180000');

    const waiting = read(await get(reception));
    expect(waiting.header.SegmentOfResult).toBe('2');
    expect(waiting.units).toEqual([]);

    // Restart between posting and fetching: the queue is in the store.
    await close();
    await open();
    const audits = await count(ctx, 'audit_log');
    const worker = startBulkWorker(ctx, { intervalMs: 50, batchSize: 2 });
    await worker.drain();
    await worker.stop();
    // One disclosure audited per answered item; the unreadable one is not a query.
    expect(await count(ctx, 'audit_log')).toBe(audits + 4);

    const done = read(await get(reception));
    expect(done.header).toMatchObject({
      SegmentOfResult: '1',
      QualificationConfirmationDate: AS_OF,
      ArbitraryFileIdentifier: 'tomorrow',
    });
    expect(done.body.fields).toMatchObject({ ReceptionNumber: reception, NumberOfProcessed: '5' });
    expect(done.units.map((u) => u.echo?.ArbitraryIdentifier)).toEqual(['A', 'B', 'C', 'D', undefined]);
    expect(done.units.map((u) => u.fields.QualificationValidity)).toEqual(['1', '1', undefined, '2', '4']);
    expect(done.units[2]?.fields).toMatchObject({ ProcessingResultStatus: '2', ProcessingResultCode: 'OQS_REQUIRED' });
    expect(clinicView(done.units[0] as never)).toMatchObject({
      person: { name: '協会 太郎' },
      ratioWari: 3,
      limitCategory: 'ウ',
    });
    expect(clinicView(done.units[1] as never)).toMatchObject({ person: { name: '協会 花子' }, ratioWari: 2 });

    // The same results in XML.
    const xml = await get(reception, w.provider, 'application/xml');
    expect(xml.headers['content-type']).toMatch(/^application\/xml/);
    expect(read(xml).units).toEqual(done.units);

    // Visible only to the provider that sent it.
    const other = await get(reception, w.otherProvider);
    expect(other.statusCode).toBe(404);
    expect(read(other).header).toMatchObject({ SegmentOfResult: '9', ErrorCode: 'OQS_RECEPTION_UNKNOWN' });
    expect(other.body).not.toContain('協会');
    const admin = await get(reception, w.admin);
    expect(admin.statusCode).toBe(403);
  });

  it('a worker that died half-way: its stale lease is taken over and the run goes on after the committed batches', async () => {
    const items = [w.people.taro, w.people.hanako, w.people.ume, w.people.matsu].map((p) => infoOf(p, w.insurer));
    const reception = read(await post(bulkJson(items))).body.fields.ReceptionNumber as string;
    // As a dead worker left it: claimed an hour ago, the first item committed.
    await ctx.store.db
      .updateTable('oqs_bulk_requests')
      .set({
        state: 'running',
        claimed_by: 'dead',
        claimed_at: new Date(Date.now() - 3_600_000).toISOString(),
        done: 1,
      })
      .where('reception_number', '=', reception)
      .execute();
    await ctx.store.db
      .insertInto('oqs_bulk_results')
      .values({
        reception_number: reception,
        item: 0,
        unit: JSON.stringify({ ProcessingResultStatus: '1', QualificationValidity: '1' }),
      })
      .execute();
    const verifications = await count(ctx, 'verifications');
    const worker = startBulkWorker(ctx, { intervalMs: 50, batchSize: 2, leaseMs: 60_000 });
    await worker.drain();
    await worker.stop();
    expect(await count(ctx, 'verifications')).toBe(verifications + 3);
    const done = read(await get(reception));
    expect(done.header.SegmentOfResult).toBe('1');
    expect(done.units).toHaveLength(4);
    expect(done.units[0]?.echo).toBeUndefined(); // the dead worker's unit, kept as committed
    expect(done.units.slice(1).map((u) => u.results[0]?.fields.Name)).toEqual(['協会 花子', '梅田 梅子', '松田 松男']);
  });

  it('stores and echoes only the elements of the field table: a My Number put in by a client goes nowhere', async () => {
    const item = { ...infoOf(w.people.taro, w.insurer), MyNumber: w.people.taro.myNumber };
    const reception = read(await post(bulkJson([item]))).body.fields.ReceptionNumber as string;
    const row = await ctx.store.db
      .selectFrom('oqs_bulk_requests')
      .select('items')
      .where('reception_number', '=', reception)
      .executeTakeFirstOrThrow();
    expect(row.items).not.toContain(w.people.taro.myNumber);
    const worker = startBulkWorker(ctx, { intervalMs: 50 });
    await worker.drain();
    await worker.stop();
    const res = await get(reception);
    expect(res.body).not.toContain(w.people.taro.myNumber);
    expect(read(res).units[0]?.fields.QualificationValidity).toBe('1');
  });

  it('a live lease is left alone', async () => {
    const reception = read(await post(bulkJson([infoOf(w.people.taro, w.insurer)]))).body.fields
      .ReceptionNumber as string;
    await ctx.store.db
      .updateTable('oqs_bulk_requests')
      .set({ state: 'running', claimed_by: 'alive', claimed_at: new Date().toISOString() })
      .where('reception_number', '=', reception)
      .execute();
    const worker = startBulkWorker(ctx, { intervalMs: 50 });
    await worker.drain();
    await worker.stop();
    expect(read(await get(reception)).header.SegmentOfResult).toBe('2');
  });

  it('XML with repeated QualificationConfirmSearchInfo; over 1,000 items or none is refused in the protocol', async () => {
    const el = (o: Record<string, string | undefined>) =>
      Object.entries(o)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `<${k}>${v}</${k}>`)
        .join('');
    const xml = `<?xml version="1.0" encoding="UTF-8"?><XmlMsg><MessageHeader><QualificationConfirmationDate>${AS_OF}</QualificationConfirmationDate><MedicalInstitutionCode>${PROVIDER}</MedicalInstitutionCode></MessageHeader><MessageBody>${[w.people.taro, w.people.ume].map((p) => `<QualificationConfirmSearchInfo>${el(infoOf(p, w.insurer))}</QualificationConfirmSearchInfo>`).join('')}</MessageBody></XmlMsg>`;
    const posted = await post(xml, { 'content-type': 'application/xml' });
    expect(posted.headers['content-type']).toMatch(/^application\/xml/);
    const a = read(posted);
    expect(a.body.fields.NumberOfQueries).toBe('2');

    const many = read(await post(bulkJson(Array.from({ length: 1001 }, () => infoOf(w.people.taro, w.insurer)))));
    expect(many.header).toMatchObject({ SegmentOfResult: '9', ErrorCode: 'OQS_TOO_MANY' });
    const none = read(await post(bulkJson([])));
    expect(none.header).toMatchObject({ SegmentOfResult: '9', ErrorCode: 'OQS_REQUIRED' });
  });
});
