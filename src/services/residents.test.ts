import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOf, OPERATOR, person } from '../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import { residentSchema } from '../contract/residents.js';
import type { ServiceContext } from './context.js';
import { findResident, upsertResident } from './residents.js';

describe('residentSchema', () => {
  it('normalises width and spaces but keeps variant kanji', () => {
    const parsed = residentSchema.parse(
      person({ name: '﨑山　 髙志', nameKana: 'ｻｷﾔﾏ  たかし', address: '東京都千代田区　１－２' }),
    );
    expect(parsed).toMatchObject({ name: '﨑山 髙志', nameKana: 'サキヤマ タカシ', address: '東京都千代田区 1-2' });
  });

  it('refuses a wrong My Number check digit, non-kana フリガナ and unknown fields', () => {
    const wrong = residentSchema.safeParse(person({ myNumber: '123456789012' }));
    expect(JSON.stringify(wrong.error?.issues)).toContain('MYNUMBER_CHECK_DIGIT');
    expect(residentSchema.safeParse(person({ nameKana: 'Kyokai Taro' })).success).toBe(false);
    expect(residentSchema.safeParse({ ...person(), phone: '03' }).success).toBe(false);
  });
});

describe.each(STORE_KINDS)('residents on %s', (kind) => {
  let ctx: ServiceContext;
  beforeAll(async () => {
    ctx = await openTestContext(kind);
  });
  afterAll(() => ctx.store.close());

  it('upserts by blind index, stores the My Number only encrypted and answers it masked', async () => {
    const p = person();
    const input = residentSchema.parse(p);
    await expect(upsertResident(ctx, adminOf('06139992'), input)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await upsertResident(ctx, OPERATOR, input)).toEqual({
      myNumber: `********${p.myNumber.slice(8)}`,
      created: true,
    });
    const moved = { ...input, address: '大阪府大阪市北区1-1' };
    expect(await upsertResident(ctx, OPERATOR, moved)).toMatchObject({ created: false });

    const index = ctx.keyring.blindIndex(p.myNumber);
    expect(await findResident(ctx.store.db, index)).toMatchObject({ address: '大阪府大阪市北区1-1' });
    const rows = await ctx.store.db.selectFrom('residents').selectAll().where('my_number_index', '=', index).execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(p.myNumber);
    expect(ctx.keyring.decrypt(rows[0]?.my_number_enc ?? '')).toBe(p.myNumber);
  });
});
