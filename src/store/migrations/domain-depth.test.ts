import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS } from '../../../test/support/stores.js';
import type { Store } from '../db.js';

describe.each(STORE_KINDS)('0008-domain-depth on %s', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store.close();
  });

  const columnsOf = async (table: string): Promise<string[]> => {
    const tables = await store.db.introspection.getTables();
    return (tables.find((t) => t.name === table)?.columns ?? []).map((c) => c.name);
  };

  it('adds the columns of the new domain facts', async () => {
    expect(await columnsOf('insurers')).toEqual(expect.arrayContaining(['transition_policy', 'category_print_policy']));
    expect(await columnsOf('legacy_cards')).toEqual(
      expect.arrayContaining(['expires_on', 'reported_lost_on', 'returned_on', 'disposed_on']),
    );
    expect(await columnsOf('notifications')).toContain('certificate_requested');
    expect(await columnsOf('verifications')).toContain('reader');
    expect(await columnsOf('notice_dedupe_keys')).toEqual(['dedupe_key', 'notice_id', 'created_at', 'insurer_number']);
    expect(await columnsOf('paper_certificates')).toEqual(
      expect.arrayContaining(['member_id', 'kind', 'valid_from', 'valid_until', 'contents', 'collected_on']),
    );
  });

  it('gives rows written without the new columns today’s behaviour (defaults)', async () => {
    await store.db
      .insertInto('insurers')
      .values({
        insurer_number: '06139992',
        name: 'シカク工業健康保険組合',
        certificate_policy: JSON.stringify({ validYears: 5 }),
        reissue_fee_yen: 500,
        new_member_certificate: 'ex_officio',
        created_at: '2026-12-04T00:00:00Z',
      })
      .execute();
    const row = await store.db
      .selectFrom('insurers')
      .select(['transition_policy', 'category_print_policy'])
      .where('insurer_number', '=', '06139992')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ transition_policy: null, category_print_policy: 'separate_documents' });
  });
});
