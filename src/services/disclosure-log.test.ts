import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import { systemActor } from './actor.js';
import { appendAudit, appendAuditBatch, verifyAuditChain } from './audit.js';
import type { ServiceContext } from './context.js';
import { type DisclosureRecord, MAX_GROUP, recordDisclosure } from './disclosure-log.js';
import { verify } from './verification.js';

const PROVIDER = '1311234566';
const provider = systemActor('provider', { tokenId: 't-provider', providerCode: PROVIDER });

function record(id: string, at = '2025-12-02T01:00:00.000Z'): DisclosureRecord {
  return {
    verification: {
      id,
      provider_code: PROVIDER,
      method: 'number',
      as_of: '2025-12-02',
      outcome: 'not_found',
      reasons: '["MEMBER_NOT_FOUND"]',
      member_id: null,
      insurer_number: null,
      created_at: at,
    },
    actor: provider,
    at,
    audit: { action: 'verification', detail: { verificationId: id, outcome: 'not_found' } },
  };
}

describe.each(STORE_KINDS)('group commit of verification records on %s', (kind) => {
  let ctx: ServiceContext;
  beforeAll(async () => {
    ctx = await openTestContext(kind);
  });
  afterAll(async () => {
    await ctx.store.close();
  });

  it('answers many concurrent verifications only once each is recorded, with an intact chain', async () => {
    const before = Number((await verifyAuditChain(ctx.store.db)).records);
    const requests = Array.from({ length: MAX_GROUP + 50 }, (_, i) =>
      verify(ctx, provider, {
        method: 'number',
        asOf: '2025-12-02',
        document: 'certificate',
        insurerNumber: '06139992',
        symbol: 'none',
        number: String(i),
        birthDate: '1980-01-01',
      }),
    );
    // Answered ⇒ recorded: the row is there the moment each answer is.
    const recordedWhenAnswered = await Promise.all(
      requests.map((r) =>
        r.then(async (a) => {
          const row = await ctx.store.db
            .selectFrom('verifications')
            .select('id')
            .where('id', '=', a.verificationId)
            .executeTakeFirst();
          return row !== undefined;
        }),
      ),
    );
    expect(recordedWhenAnswered.every(Boolean)).toBe(true);
    const answers = await Promise.all(requests);
    const ids = answers.map((a) => a.verificationId);
    const rows = await ctx.store.db.selectFrom('verifications').select('id').where('id', 'in', ids).execute();
    expect(rows).toHaveLength(ids.length);
    const audited = await ctx.store.db
      .selectFrom('audit_log')
      .select(['seq', 'detail'])
      .where('action', '=', 'verification')
      .orderBy('seq')
      .execute();
    const auditedIds = audited.map((a) => (JSON.parse(a.detail) as { verificationId: string }).verificationId);
    expect(new Set(auditedIds)).toEqual(new Set(ids));
    const chain = await verifyAuditChain(ctx.store.db);
    expect(chain).toMatchObject({ ok: true, records: before + ids.length });
  });

  it('writes the records of a failing group one by one: only the bad record fails', async () => {
    await recordDisclosure(ctx.store, record('dup-1'));
    const results = await Promise.allSettled([
      recordDisclosure(ctx.store, record('ok-1')),
      recordDisclosure(ctx.store, record('dup-1')),
      recordDisclosure(ctx.store, record('ok-2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const ids = (
      await ctx.store.db.selectFrom('verifications').select('id').where('id', 'in', ['ok-1', 'ok-2', 'dup-1']).execute()
    ).map((r) => r.id);
    expect(ids.sort()).toEqual(['dup-1', 'ok-1', 'ok-2']);
    expect(await verifyAuditChain(ctx.store.db)).toMatchObject({ ok: true });
    // The refused duplicate left no audit record of its own.
    const dupAudits = await ctx.store.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'verification')
      .execute();
    expect(dupAudits.filter((a) => a.detail.includes('"dup-1"'))).toHaveLength(1);
  });
});

describe.each(STORE_KINDS)('appendAuditBatch on %s', (kind) => {
  let one: ServiceContext;
  let batch: ServiceContext;
  beforeAll(async () => {
    [one, batch] = await Promise.all([openTestContext(kind), openTestContext(kind)]);
  });
  afterAll(async () => {
    await Promise.all([one.store.close(), batch.store.close()]);
  });

  it('chains exactly what as many appendAudit calls would', async () => {
    const entries = [
      { actor: provider, at: '2025-12-02T01:00:00.000Z', entry: { action: 'verification', detail: { n: 1 } } },
      {
        actor: systemActor('admin', { insurerNumber: '06139992' }),
        at: '2025-12-02T01:00:01.000Z',
        entry: { action: 'x', insurerNumber: '06139992', memberId: 'm-1', detail: { n: 2 } },
      },
      { actor: provider, at: '2025-12-02T01:00:02.000Z', entry: { action: 'verification' } },
    ];
    const seqsOne: number[] = [];
    for (const e of entries) {
      seqsOne.push(
        await one.store.db.transaction().execute((trx) => appendAudit(trx, one.store.dialect, e.actor, e.at, e.entry)),
      );
    }
    const seqsBatch = await batch.store.db
      .transaction()
      .execute((trx) => appendAuditBatch(trx, batch.store.dialect, entries));
    expect(seqsBatch).toEqual(seqsOne);
    const rows = async (c: ServiceContext) =>
      (await c.store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute()).map((r) => ({
        ...r,
        seq: Number(r.seq),
      }));
    expect(await rows(batch)).toEqual(await rows(one));
    expect(await verifyAuditChain(batch.store.db)).toMatchObject({ ok: true, records: 3 });
    expect(await batch.store.db.transaction().execute((trx) => appendAuditBatch(trx, batch.store.dialect, []))).toEqual(
      [],
    );
  });
});
