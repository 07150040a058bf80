/**
 * 資格喪失届 of an insured (without `branch`, the insured of the 記号・番号): the dependents still
 * covered after `lostOn` end on the same day, and a dependent acquired after it on its first day.
 */
import type { NotificationResult } from '../../contract/notifications.js';
import { ShikakuError } from '../../domain/codes.js';
import { maxDate } from '../../domain/dates.js';
import type { Relationship } from '../../domain/member.js';
import { invalidField, memberState } from './errors.js';
import { existingMember, findMember, type MemberState } from './member-state.js';
import { finish } from './record.js';
import type { Input, Run } from './run.js';

export async function lose(run: Run, input: Input<'loss'>): Promise<NotificationResult> {
  const member = await endingMember(run, input, 'insured', {
    ja: '被扶養者の削除は dependent_remove で届け出てください',
    en: 'use dependent_remove for a dependent',
  });
  // Kept in the version's facts: verification tells INSURED_COVER_ENDED of a death apart (dependents.ts).
  if (input.lossReason !== undefined) member.facts.lossReason = input.lossReason;
  let query = run.trx
    .selectFrom('members')
    .selectAll()
    .where('insured_member_id', '=', member.id)
    .where((eb) => eb.or([eb('lost_on', 'is', null), eb('lost_on', '>', input.lostOn)]))
    .orderBy('branch');
  if (run.ctx.store.dialect === 'postgres') query = query.forUpdate();
  const cascade: MemberState[] = [];
  for (const dependent of await query.execute()) {
    const state = existingMember(dependent);
    // A dependent acquired after the insured's lostOn was never covered: it ends on its first day.
    state.facts.lostOn = maxDate(input.lostOn, dependent.acquired_on);
    cascade.push(state);
  }
  return finish(run, input, member, cascade);
}

/**
 * The member a loss or a dependent removal ends, with `lostOn` set: it must be of the kind's
 * relationship (`wrongKind` otherwise), still covered, and acquired by `lostOn`.
 */
export async function endingMember(
  run: Run,
  input: Input<'loss'> | Input<'dependent_remove'>,
  relationship: Relationship,
  wrongKind: { ja: string; en: string },
): Promise<MemberState> {
  const row = await findMember(run, input);
  if (!row) throw new ShikakuError('MEMBER_NOT_FOUND');
  if (row.relationship !== relationship) throw memberState(wrongKind.ja, wrongKind.en);
  if (row.lost_on !== null) throw memberState('既に資格を喪失しています', 'the member has already lost eligibility');
  if (input.lostOn < row.acquired_on) {
    throw invalidField('lostOn', '資格喪失日が資格取得日より前です', 'lostOn is before acquiredOn');
  }
  const member = existingMember(row);
  member.facts.lostOn = input.lostOn;
  return member;
}
