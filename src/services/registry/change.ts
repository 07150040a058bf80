/**
 * 変更届: name, kana, birth date, sex, address, remuneration (insured only) or a My Number given
 * later; without `branch`, the insured of the 記号・番号.
 */
import type { NotificationResult } from '../../contract/notifications.js';
import { ShikakuError } from '../../domain/codes.js';
import type { MemberFacts } from '../../domain/member.js';
import { assertAcquiredFromBirth, assertMyNumberFree } from './checks.js';
import { invalidField } from './errors.js';
import { existingMember, findMember } from './member-state.js';
import { finish } from './record.js';
import type { Input, Run } from './run.js';

export async function change(run: Run, input: Input<'change'>): Promise<NotificationResult> {
  const row = await findMember(run, input);
  if (!row) throw new ShikakuError('MEMBER_NOT_FOUND');
  if (input.standardMonthlyRemuneration !== undefined && row.relationship === 'dependent') {
    throw invalidField(
      'standardMonthlyRemuneration',
      '被扶養者には標準報酬月額を届け出ません',
      "a dependent has no standard monthly remuneration (it follows the insured's)",
    );
  }
  const member = existingMember(row);
  const f = member.facts;
  applyChange(f, input);
  if (run.secret) {
    if (run.secret.index !== row.my_number_index) await assertMyNumberFree(run, input.insurerNumber, row.id);
    member.myNumberEnc = run.secret.enc;
    member.myNumberIndex = run.secret.index;
    f.myNumberLast4 = run.secret.last4;
  }
  assertAcquiredFromBirth(f.acquiredOn, f.birthDate);
  return finish(run, input, member);
}

/** The facts a 変更届 sets (all but the My Number, which the caller checks and encrypts). */
export function applyChange(f: MemberFacts, input: Input<'change'>): void {
  if (input.name !== undefined) f.name = input.name;
  if (input.nameKana !== undefined) f.nameKana = input.nameKana;
  if (input.birthDate !== undefined) f.birthDate = input.birthDate;
  if (input.sex !== undefined) f.sex = input.sex;
  if (input.address !== undefined) f.address = input.address;
  if (input.standardMonthlyRemuneration !== undefined)
    f.standardMonthlyRemuneration = input.standardMonthlyRemuneration;
}
