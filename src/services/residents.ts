/**
 * The resident register stand-in (住民票, 基本4情報): the records hub registrations are matched
 * against (DESIGN.md §5.3, RULES.md §5). Found by the My Number's blind index; the number itself is
 * stored only encrypted.
 */
import type { Kysely } from 'kysely';
import type { ResidentInput, ResidentResult } from '../contract/residents.js';
import type { ResidentFacts } from '../domain/member.js';
import { maskMyNumber } from '../domain/mynumber.js';
import { fastAll } from '../store/fast.js';
import type { Database, ResidentsTable } from '../store/schema.js';
import { type Actor, requireRole } from './actor.js';
import { appendAudit } from './audit.js';
import { nowIso, type ServiceContext } from './context.js';

/**
 * Creates or replaces the resident record of a My Number (role operator). Member registrations are
 * checked against it when their next version is recorded (a later change notification re-checks).
 */
export async function upsertResident(ctx: ServiceContext, actor: Actor, input: ResidentInput): Promise<ResidentResult> {
  requireRole(actor, 'operator');
  const index = ctx.keyring.blindIndex(input.myNumber);
  const values = {
    my_number_enc: ctx.keyring.encrypt(input.myNumber),
    name: input.name,
    name_kana: input.nameKana,
    birth_date: input.birthDate,
    sex: input.sex,
    address: input.address,
    updated_at: nowIso(ctx),
  };
  return ctx.store.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('residents')
      .select('my_number_index')
      .where('my_number_index', '=', index)
      .executeTakeFirst();
    await trx
      .insertInto('residents')
      .values({ my_number_index: index, ...values })
      .onConflict((oc) => oc.column('my_number_index').doUpdateSet(values))
      .execute();
    await appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: 'resident.upsert',
      detail: { created: !existing },
    });
    return { myNumber: maskMyNumber(input.myNumber), created: !existing };
  });
}

/** The resident record behind a blind index, or null. */
export async function findResident(db: Kysely<Database>, myNumberIndex: string): Promise<ResidentFacts | null> {
  const [row] = await fastAll<Pick<ResidentsTable, 'name' | 'name_kana' | 'birth_date' | 'sex' | 'address'>>(
    db,
    'select name, name_kana, birth_date, sex, address from residents where my_number_index = ?',
    [myNumberIndex],
  );
  return row ? residentFactsOf(row) : null;
}

/** A residents row as the facts the hub compares with. */
export function residentFactsOf(
  row: Pick<ResidentsTable, 'name' | 'name_kana' | 'birth_date' | 'sex' | 'address'>,
): ResidentFacts {
  return { name: row.name, nameKana: row.name_kana, birthDate: row.birth_date, sex: row.sex, address: row.address };
}
