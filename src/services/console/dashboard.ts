/**
 * An association's counts and warnings on a day, for the console (issue #4). Audited with the counts
 * (DESIGN.md §3.5).
 */
import type { Kysely } from 'kysely';
import type { Dashboard, ExpiringCertificate, MemberRef, MismatchEntry } from '../../contract/console.js';
import { ShikakuError } from '../../domain/codes.js';
import { addMonths, type IsoDate } from '../../domain/dates.js';
import type { Database } from '../../store/schema.js';
import { type Actor, requireRole } from '../actor.js';
import { appendAudit } from '../audit.js';
import { nowIso, type ServiceContext, today } from '../context.js';
import { compareWithResident, type MismatchField } from '../hub.js';
import { findResident } from '../residents.js';
import { MEMBER_REF_COLUMNS, memberRefOf } from './member-ref.js';

/** How many member references a dashboard list carries (the counts are complete). */
export const DASHBOARD_LIST_LIMIT = 50;

/**
 * The association's counts and warnings on `asOf` (default today), by the facts known now: covered
 * members, hub registrations (registered, pending until hubAvailableOn, mismatch, no My Number), the
 * mismatches with their differing fields and near-match hints, and 資格確認書 expiring within 3 months.
 * Admin of the association only; audited with the counts.
 */
export async function insurerDashboard(
  ctx: ServiceContext,
  actor: Actor,
  insurerNumber: string,
  asOf: IsoDate = today(ctx),
): Promise<Dashboard> {
  requireRole(actor, 'admin');
  // Another association's dashboard is answered as if it did not exist (out-of-scope reads are 404).
  if (actor.insurerNumber !== insurerNumber) throw new ShikakuError('INSURER_NOT_FOUND');
  const db = ctx.store.db;
  const insurer = await db
    .selectFrom('insurers')
    .select('name')
    .where('insurer_number', '=', insurerNumber)
    .executeTakeFirst();
  if (!insurer) throw new ShikakuError('INSURER_NOT_FOUND');
  const rows = await db
    .selectFrom('members')
    .select([
      ...MEMBER_REF_COLUMNS,
      'birth_date',
      'sex',
      'address',
      'relationship',
      'acquired_on',
      'lost_on',
      'hub_status',
      'hub_available_on',
      'hub_mismatch_fields',
      'my_number_index',
      'recorded_on',
    ])
    .where('insurer_number', '=', insurerNumber)
    .orderBy('symbol')
    .orderBy('number')
    .orderBy('branch')
    .execute();

  const members = { covered: 0, insured: 0, dependents: 0, lost: 0, notStarted: 0 };
  const hub = { registered: 0, pending: 0, mismatch: 0, noMyNumber: 0 };
  const withoutMyNumber: MemberRef[] = [];
  const mismatches: MismatchEntry[] = [];
  for (const row of rows) {
    if (row.acquired_on > asOf) {
      members.notStarted++;
      continue;
    }
    if (row.lost_on !== null && row.lost_on <= asOf) {
      members.lost++;
      continue;
    }
    members.covered++;
    if (row.relationship === 'insured') members.insured++;
    else members.dependents++;
    if (row.hub_available_on > asOf) hub.pending++;
    if (row.hub_status === 'registered') hub.registered++;
    if (row.hub_status === 'no_my_number') {
      hub.noMyNumber++;
      if (withoutMyNumber.length < DASHBOARD_LIST_LIMIT) withoutMyNumber.push(memberRefOf(row));
    }
    if (row.hub_status === 'mismatch') {
      hub.mismatch++;
      if (mismatches.length < DASHBOARD_LIST_LIMIT) {
        // The hint is recomputed against today's resident record: it may have been corrected since.
        const resident = row.my_number_index ? await findResident(db, row.my_number_index) : null;
        const check = compareWithResident(
          { name: row.name, nameKana: row.name_kana, birthDate: row.birth_date, sex: row.sex, address: row.address },
          resident,
        );
        mismatches.push({
          ...memberRefOf(row),
          fields: JSON.parse(row.hub_mismatch_fields) as MismatchField[],
          nearMatch: check.nearMatch,
          recordedOn: row.recorded_on,
        });
      }
    }
  }

  const certificatesExpiring = await expiringCertificates(db, insurerNumber, asOf);
  const pending = await db
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('insurer_number', '=', insurerNumber)
    .where('state', '=', 'received')
    .executeTakeFirst();
  const applicationsPending = Number(pending?.n ?? 0);

  await db.transaction().execute((trx) =>
    appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: 'insurer.dashboard',
      insurerNumber,
      detail: { asOf, covered: members.covered },
    }),
  );
  return {
    insurerNumber,
    insurerName: insurer.name,
    asOf,
    members,
    hub,
    withoutMyNumber,
    mismatches,
    certificatesExpiring,
    applicationsPending,
  };
}

/**
 * 資格確認書 that are the member's current proof on asOf (issued by then, the newest, not collected or
 * reported lost by then) and whose validity ends within 3 months: the association renews or
 * re-decides them before they lapse (RULES.md §2).
 */
async function expiringCertificates(
  db: Kysely<Database>,
  insurerNumber: string,
  asOf: IsoDate,
): Promise<ExpiringCertificate[]> {
  const until = addMonths(asOf, 3);
  const rows = await db
    .selectFrom('eligibility_certificates as c')
    .innerJoin('members as m', 'm.id', 'c.member_id')
    .select([
      'c.id as certificate_id',
      'c.valid_until',
      'c.issued_on',
      'm.id',
      'm.symbol',
      'm.number',
      'm.branch',
      'm.name',
      'm.name_kana',
    ])
    .where('c.insurer_number', '=', insurerNumber)
    .where('c.issued_on', '<=', asOf)
    .where('c.valid_until', '>=', asOf)
    .where('c.valid_until', '<=', until)
    .where((eb) => eb.or([eb('c.collected_on', 'is', null), eb('c.collected_on', '>', asOf)]))
    .where((eb) => eb.or([eb('c.reported_lost_on', 'is', null), eb('c.reported_lost_on', '>', asOf)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('eligibility_certificates as newer')
            .select('newer.id')
            .whereRef('newer.member_id', '=', 'c.member_id')
            .whereRef('newer.issued_on', '>', 'c.issued_on')
            .where('newer.issued_on', '<=', asOf),
        ),
      ),
    )
    .orderBy('c.valid_until')
    .orderBy('m.symbol')
    .orderBy('m.number')
    .orderBy('m.branch')
    .limit(DASHBOARD_LIST_LIMIT)
    .execute();
  return rows.map((r) => ({ ...memberRefOf(r), certificateId: r.certificate_id, validUntil: r.valid_until }));
}
