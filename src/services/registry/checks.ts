/** Checks every kind of notification shares: the association exists, one My Number, dates in order. */
import type { Kysely } from 'kysely';
import { ShikakuError } from '../../domain/codes.js';
import type { IsoDate } from '../../domain/dates.js';
import { fastAll } from '../../store/fast.js';
import type { Database } from '../../store/schema.js';
import { duplicate, invalidField } from './errors.js';
import type { Run } from './run.js';

export async function requireInsurer(trx: Kysely<Database>, insurerNumber: string): Promise<void> {
  const [row] = await fastAll(trx, 'select insurer_number from insurers where insurer_number = ?', [insurerNumber]);
  if (!row) throw new ShikakuError('INSURER_NOT_FOUND', { insurerNumber });
}

/** One person is covered once per association: no second active member with the same My Number. */
export async function assertMyNumberFree(
  run: Run,
  insurerNumber: string,
  exceptMemberId: string | null,
): Promise<void> {
  if (!run.secret) return;
  const active = 'select id from members where insurer_number = ? and my_number_index = ? and lost_on is null';
  const params = [insurerNumber, run.secret.index];
  const rows =
    exceptMemberId === null
      ? await fastAll(run.trx, active, params)
      : await fastAll(run.trx, `${active} and id <> ?`, [...params, exceptMemberId]);
  if (rows.length > 0) {
    throw duplicate('an active member already holds this My Number', 'この個人番号の加入者が既に資格を有しています');
  }
}

export function assertAcquiredFromBirth(acquiredOn: IsoDate, birthDate: IsoDate): void {
  if (acquiredOn < birthDate) {
    throw invalidField('acquiredOn', '資格取得日が生年月日より前です', 'acquiredOn is before the birth date');
  }
}
