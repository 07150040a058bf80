/** 資格取得届: a new insured, under a given or the next free 番号, 枝番 "00" unless given. */
import type { NotificationResult } from '../../contract/notifications.js';
import { ShikakuError } from '../../domain/codes.js';
import type { MemberFacts } from '../../domain/member.js';
import { assertAcquiredFromBirth, assertMyNumberFree } from './checks.js';
import { duplicate } from './errors.js';
import { findMember, newMember, personFacts } from './member-state.js';
import { INSURED_BRANCH, identityTaken, nextNumber } from './numbering.js';
import { finish } from './record.js';
import { type Input, Renumber, type Run } from './run.js';

export async function acquire(run: Run, input: Input<'acquisition'>): Promise<NotificationResult> {
  const { trx } = run;
  const number = input.number ?? (await nextNumber(trx, run.ctx.store.dialect, input.insurerNumber, input.symbol));
  const branch = input.branch ?? INSURED_BRANCH;
  const insured = await findMember(run, { insurerNumber: input.insurerNumber, symbol: input.symbol, number });
  const taken = insured !== undefined || (await identityTaken(trx, input.insurerNumber, input.symbol, number, branch));
  if (taken && input.number === undefined) throw new Renumber();
  if (insured) throw duplicate('an insured already holds this 記号・番号', 'この記号・番号の被保険者が既に存在します');
  if (taken) throw new ShikakuError('DUPLICATE_MEMBER', { symbol: input.symbol, number, branch });
  await assertMyNumberFree(run, input.insurerNumber, null);
  assertAcquiredFromBirth(input.acquiredOn, input.person.birthDate);
  const facts: MemberFacts = {
    insurerNumber: input.insurerNumber,
    symbol: input.symbol,
    number,
    branch,
    relationship: 'insured',
    insuredMemberId: null,
    ...personFacts(input.person),
    acquiredOn: input.acquiredOn,
    lostOn: null,
    standardMonthlyRemuneration: input.standardMonthlyRemuneration ?? null,
    myNumberLast4: run.secret?.last4 ?? null,
  };
  return finish(run, input, newMember(facts, run.secret));
}
