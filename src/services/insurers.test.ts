import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOf, freshInsurerNumber, OPERATOR } from '../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import { insurerSchema } from '../contract/insurers.js';
import type { ServiceContext } from './context.js';
import { createInsurer, findInsurer } from './insurers.js';

describe('insurerSchema', () => {
  const valid = {
    insurerNumber: '06139992',
    name: '協会健康保険組合',
    certificatePolicy: { validUntil: '2029-11-30' },
    reissueFeeYen: 500,
    newMemberCertificate: 'on_application',
  };

  it('accepts DESIGN.md §5.2 and checks the 保険者番号 check digit', () => {
    expect(insurerSchema.safeParse(valid).success).toBe(true);
    const wrong = insurerSchema.safeParse({ ...valid, insurerNumber: '06139993' });
    expect(wrong.success).toBe(false);
    expect(JSON.stringify(wrong.error?.issues)).toContain('INSURER_NUMBER_CHECK_DIGIT');
  });

  it('refuses a policy over 5 years, a mixed policy and unknown fields', () => {
    expect(insurerSchema.safeParse({ ...valid, certificatePolicy: { validYears: 6 } }).success).toBe(false);
    expect(
      insurerSchema.safeParse({ ...valid, certificatePolicy: { validYears: 2, validUntil: '2029-11-30' } }).success,
    ).toBe(false);
    expect(insurerSchema.safeParse({ ...valid, colour: 'blue' }).success).toBe(false);
  });
});

describe.each(STORE_KINDS)('insurers on %s', (kind) => {
  let ctx: ServiceContext;
  beforeAll(async () => {
    ctx = await openTestContext(kind);
  });
  afterAll(() => ctx.store.close());

  it('registers an association once (operator only)', async () => {
    const insurerNumber = freshInsurerNumber();
    const input = insurerSchema.parse({
      insurerNumber,
      name: ' 協会健康保険組合 ',
      certificatePolicy: { validYears: 2 },
      reissueFeeYen: 500,
      newMemberCertificate: 'ex_officio',
    });
    await expect(createInsurer(ctx, adminOf(insurerNumber), input)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await createInsurer(ctx, OPERATOR, input)).toMatchObject({ insurerNumber, name: '協会健康保険組合' });
    expect(await findInsurer(ctx.store.db, insurerNumber)).toEqual({
      insurerNumber,
      name: '協会健康保険組合',
      certificatePolicy: { validYears: 2 },
      reissueFeeYen: 500,
      newMemberCertificate: 'ex_officio',
    });
    await expect(createInsurer(ctx, OPERATOR, input)).rejects.toMatchObject({
      code: 'CONFLICT_INSURER_EXISTS',
      status: 409,
    });
    expect(await findInsurer(ctx.store.db, freshInsurerNumber())).toBeNull();
  });
});
