/**
 * Builders for registry tests: each test makes its own association and its own people, so tests
 * never depend on each other's rows or order.
 */

import type { NotificationInput } from '../../src/contract/notifications.js';
import { residentSchema } from '../../src/contract/residents.js';
import { insurerNumberCheckDigit } from '../../src/domain/insurer-number.js';
import { myNumberCheckDigit } from '../../src/domain/mynumber.js';
import { type Actor, systemActor } from '../../src/services/actor.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createInsurer } from '../../src/services/insurers.js';
import { parseNotification, submitNotification } from '../../src/services/registry.js';
import { upsertResident } from '../../src/services/residents.js';

let nextInsurer = 100;
let nextPerson = 1;

/** A valid 健保組合 保険者番号 (06 13 nnn + check digit), different on every call. */
export function freshInsurerNumber(): string {
  const first7 = `0613${String(nextInsurer++).padStart(3, '0')}`;
  return `${first7}${insurerNumberCheckDigit(first7)}`;
}

/** A valid My Number, different on every call. */
export function freshMyNumber(): string {
  const first11 = `${String(process.pid % 1000).padStart(3, '0')}${String(nextPerson++).padStart(8, '0')}`;
  return `${first11}${myNumberCheckDigit(first11)}`;
}

/** The same number with a wrong check digit. */
export function wrongCheckDigit(valid: string): string {
  const last = Number(valid.at(-1));
  return `${valid.slice(0, -1)}${(last + 1) % 10}`;
}

export const OPERATOR: Actor = systemActor('operator');

export function adminOf(insurerNumber: string): Actor {
  return systemActor('admin', { insurerNumber });
}

export function employerOf(insurerNumber: string, employerSymbol: string): Actor {
  return systemActor('employer', { insurerNumber, employerSymbol });
}

export async function makeInsurer(ctx: ServiceContext, insurerNumber = freshInsurerNumber()): Promise<string> {
  await createInsurer(ctx, OPERATOR, {
    insurerNumber,
    name: `テスト健康保険組合 ${insurerNumber}`,
    certificatePolicy: { validYears: 5 },
    reissueFeeYen: 500,
    newMemberCertificate: 'ex_officio',
  });
  return insurerNumber;
}

export interface PersonSeed {
  myNumber: string;
  name: string;
  nameKana: string;
  birthDate: string;
  sex: 'male' | 'female';
  address: string;
}

export function person(overrides: Partial<PersonSeed> = {}): PersonSeed {
  return {
    myNumber: freshMyNumber(),
    name: '協会 太郎',
    nameKana: 'キョウカイ タロウ',
    birthDate: '1989-10-01',
    sex: 'male',
    address: '東京都千代田区霞が関1-2-2',
    ...overrides,
  };
}

/** Records the person in the resident register stand-in (as the operator). */
export async function makeResident(ctx: ServiceContext, seed: PersonSeed): Promise<void> {
  await upsertResident(ctx, OPERATOR, residentSchema.parse(seed));
}

/** Validates like the API, then records the notification as the association's admin. */
export async function notify(ctx: ServiceContext, raw: Record<string, unknown>, actor?: Actor) {
  const input: NotificationInput = parseNotification(raw);
  return (await submitNotification(ctx, actor ?? adminOf(input.insurerNumber), input)).result;
}

/**
 * An insured (acquired 2010-04-01, recorded 2024-10-01) with one dependent, both with resident records:
 * the household of the dependent-cover tests.
 */
export async function makeHousehold(
  ctx: ServiceContext,
  opts: { insurerNumber: string; symbol: string; insuredBorn: string; dependentBorn: string; remuneration: number },
) {
  const insured = person({ birthDate: opts.insuredBorn });
  const dependent = person({
    birthDate: opts.dependentBorn,
    name: '協会 花子',
    nameKana: 'キョウカイ ハナコ',
    sex: 'female',
  });
  await makeResident(ctx, insured);
  await makeResident(ctx, dependent);
  const head = await notify(ctx, {
    kind: 'acquisition',
    insurerNumber: opts.insurerNumber,
    recordedOn: '2024-10-01',
    symbol: opts.symbol,
    acquiredOn: '2010-04-01',
    standardMonthlyRemuneration: opts.remuneration,
    person: insured,
  });
  const added = await notify(ctx, {
    kind: 'dependent_add',
    insurerNumber: opts.insurerNumber,
    recordedOn: '2024-10-01',
    insured: { symbol: opts.symbol, number: head.number },
    acquiredOn: '2010-04-01',
    person: dependent,
  });
  return {
    symbol: opts.symbol,
    number: head.number,
    insured,
    dependent,
    insuredId: head.memberId,
    dependentId: added.memberId,
  };
}
