/**
 * Builders for the 資格確認書 / お知らせ tests: a member in a given card state, made through the real
 * services (resident record, acquisition, card stand-in), so the issuance facts are the ones the
 * services gather in production.
 */
import type { IsoDate } from '../../src/domain/dates.js';
import { cancelCardRegistration, issueCard, registerCard, returnCard } from '../../src/services/cards.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createInsurer } from '../../src/services/insurers.js';
import { issueLegacyCard } from '../../src/services/legacy-cards.js';
import { adminOf, freshInsurerNumber, makeResident, notify, OPERATOR, type PersonSeed, person } from './registry.js';

export interface InsurerOptions {
  newMemberCertificate?: 'on_application' | 'ex_officio';
  certificatePolicy?: { validYears: number } | { validUntil: IsoDate };
  reissueFeeYen?: number;
}

export async function makeDocumentsInsurer(ctx: ServiceContext, options: InsurerOptions = {}): Promise<string> {
  const insurerNumber = freshInsurerNumber();
  await createInsurer(ctx, OPERATOR, {
    insurerNumber,
    name: `資格確認健康保険組合 ${insurerNumber}`,
    certificatePolicy: options.certificatePolicy ?? { validYears: 2 },
    reissueFeeYen: options.reissueFeeYen ?? 500,
    newMemberCertificate: options.newMemberCertificate ?? 'ex_officio',
  });
  return insurerNumber;
}

export interface CardPlan {
  issuedOn: IsoDate;
  registeredOn?: IsoDate;
  cancelledOn?: IsoDate;
  returnedOn?: IsoDate;
}

export interface MemberPlan {
  symbol?: string;
  acquiredOn?: IsoDate;
  recordedOn?: IsoDate;
  lostOn?: IsoDate;
  remuneration?: number;
  person?: Partial<PersonSeed>;
  /** No My Number given to the association. */
  withoutMyNumber?: boolean;
  legacyCardIssuedOn?: IsoDate;
  card?: CardPlan;
}

export interface MadeMember {
  memberId: string;
  symbol: string;
  number: string;
  branch: string;
  person: PersonSeed;
  cardId: string | null;
}

/** An insured member of `insurer` in the state `plan` describes. */
export async function makeMember(ctx: ServiceContext, insurer: string, plan: MemberPlan = {}): Promise<MadeMember> {
  const p = person(plan.person);
  await makeResident(ctx, p);
  const { myNumber, ...rest } = p;
  const result = await notify(ctx, {
    kind: 'acquisition',
    insurerNumber: insurer,
    recordedOn: plan.recordedOn ?? '2024-10-01',
    symbol: plan.symbol ?? '1234',
    acquiredOn: plan.acquiredOn ?? '2020-04-01',
    standardMonthlyRemuneration: plan.remuneration ?? 300_000,
    person: plan.withoutMyNumber ? rest : p,
  });
  if (plan.legacyCardIssuedOn) {
    await issueLegacyCard(ctx, adminOf(insurer), result.memberId, { issuedOn: plan.legacyCardIssuedOn });
  }
  let cardId: string | null = null;
  if (plan.card) {
    cardId = (await issueCard(ctx, OPERATOR, { myNumber, issuedOn: plan.card.issuedOn, pin: '1234' })).cardId;
    if (plan.card.registeredOn) {
      await registerCard(ctx, OPERATOR, cardId, { recordedOn: plan.card.registeredOn, channel: 'reader' });
    }
    if (plan.card.cancelledOn)
      await cancelCardRegistration(ctx, OPERATOR, cardId, { recordedOn: plan.card.cancelledOn });
    if (plan.card.returnedOn) await returnCard(ctx, OPERATOR, cardId, { returnedOn: plan.card.returnedOn });
  }
  if (plan.lostOn) {
    await notify(ctx, {
      kind: 'loss',
      insurerNumber: insurer,
      recordedOn: plan.lostOn,
      symbol: result.symbol,
      number: result.number,
      lostOn: plan.lostOn,
    });
  }
  return {
    memberId: result.memberId,
    symbol: result.symbol,
    number: result.number,
    branch: result.branch,
    person: p,
    cardId,
  };
}

/** A usable マイナ保険証: card issued 2023-03-01 and registered 2023-05-01. */
export const USABLE_CARD: CardPlan = { issuedOn: '2023-03-01', registeredOn: '2023-05-01' };
