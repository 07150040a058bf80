/** 被扶養者異動届 (追加): a dependent of a covered insured, under the given or the next free 枝番. */
import type { NotificationResult } from '../../contract/notifications.js';
import { ShikakuError } from '../../domain/codes.js';
import type { MemberFacts } from '../../domain/member.js';
import { assertAcquiredFromBirth, assertMyNumberFree } from './checks.js';
import { findMember, newMember, personFacts } from './member-state.js';
import { identityTaken, nextBranch } from './numbering.js';
import { finish } from './record.js';
import { type Input, Renumber, type Run } from './run.js';

export async function addDependent(run: Run, input: Input<'dependent_add'>): Promise<NotificationResult> {
  const { trx } = run;
  const { symbol, number } = input.insured;
  const insured = await findMember(run, { insurerNumber: input.insurerNumber, symbol, number });
  if (!insured) throw new ShikakuError('MEMBER_NOT_FOUND', { insured: { symbol, number } });
  // A lost insured takes no new dependents (the dependents ended with them).
  if (insured.lost_on !== null || input.acquiredOn < insured.acquired_on) {
    throw new ShikakuError('CONFLICT_MEMBER_STATE', undefined, {
      ja: '被保険者が資格を喪失しているか、資格取得日に被保険者の資格がありません',
      en: 'the insured has lost eligibility, or is not covered on acquiredOn',
    });
  }
  const branch = input.branch ?? (await nextBranch(trx, input.insurerNumber, symbol, number));
  if (await identityTaken(trx, input.insurerNumber, symbol, number, branch)) {
    if (input.branch === undefined) throw new Renumber();
    throw new ShikakuError('DUPLICATE_MEMBER', { symbol, number, branch });
  }
  await assertMyNumberFree(run, input.insurerNumber, null);
  assertAcquiredFromBirth(input.acquiredOn, input.person.birthDate);
  const facts: MemberFacts = {
    insurerNumber: input.insurerNumber,
    symbol,
    number,
    branch,
    relationship: 'dependent',
    insuredMemberId: insured.id,
    ...personFacts(input.person),
    acquiredOn: input.acquiredOn,
    lostOn: null,
    // Dependents follow their insured's remuneration (RULES.md §6).
    standardMonthlyRemuneration: null,
    myNumberLast4: run.secret?.last4 ?? null,
  };
  return finish(run, input, newMember(facts, run.secret));
}
