/**
 * Test helpers for code that needs residents and cards (this module's tests, the verification
 * tests): a valid My Number per seed, and a resident row inserted directly.
 */
import type { IsoDate } from '../domain/dates.js';
import { myNumberCheckDigit } from '../domain/mynumber.js';
import type { ServiceContext } from '../services/context.js';

/** A valid My Number (correct check digit) made from a small seed: 10000000000s + check digit. */
export function testMyNumber(seed: number): string {
  const first11 = String(10_000_000_000 + seed).padStart(11, '0');
  return `${first11}${myNumberCheckDigit(first11)}`;
}

/** Inserts a resident record (the fields a card needs: the My Number's blind index and birth date). */
export async function insertTestResident(
  ctx: ServiceContext,
  myNumber: string,
  birthDate: IsoDate,
): Promise<{ myNumberIndex: string }> {
  const myNumberIndex = ctx.keyring.blindIndex(myNumber);
  await ctx.store.db
    .insertInto('residents')
    .values({
      my_number_index: myNumberIndex,
      my_number_enc: ctx.keyring.encrypt(myNumber),
      name: '協会 太郎',
      name_kana: 'キョウカイ タロウ',
      birth_date: birthDate,
      sex: 'male',
      address: '東京都千代田区霞が関1-2-2',
      updated_at: ctx.clock.now().toISOString(),
    })
    .execute();
  return { myNumberIndex };
}
