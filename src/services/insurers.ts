/**
 * Associations (健康保険組合) hosted by the deployment, each identified by its 保険者番号 (DESIGN.md §5.2).
 */
import type { Kysely, Selectable } from 'kysely';
import type { Insurer, InsurerInput } from '../contract/insurers.js';
import { ShikakuError } from '../domain/codes.js';
import type { CertificateValidityPolicy } from '../domain/proofs.js';
import { parseTransitionPolicy } from '../domain/transition-policy.js';
import type { Database, InsurersTable } from '../store/schema.js';
import { type Actor, requireRole } from './actor.js';
import { appendAudit } from './audit.js';
import { nowIso, type ServiceContext } from './context.js';
import { uniqueViolation } from './registry/errors.js';

/** Registers an association (role operator). A repeat is refused with CONFLICT_INSURER_EXISTS. */
export async function createInsurer(ctx: ServiceContext, actor: Actor, input: InsurerInput): Promise<Insurer> {
  requireRole(actor, 'operator');
  return ctx.store.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('insurers')
      .select('insurer_number')
      .where('insurer_number', '=', input.insurerNumber)
      .executeTakeFirst();
    if (existing) throw new ShikakuError('CONFLICT_INSURER_EXISTS', { insurerNumber: input.insurerNumber });
    await insertOrConflict(
      trx
        .insertInto('insurers')
        .values({
          insurer_number: input.insurerNumber,
          name: input.name,
          certificate_policy: JSON.stringify(input.certificatePolicy),
          reissue_fee_yen: input.reissueFeeYen,
          new_member_certificate: input.newMemberCertificate,
          // Checked here (validFrom strictly increasing): the ex-officio run reads it as dated data.
          transition_policy: input.transitionPolicy
            ? JSON.stringify(parseTransitionPolicy(input.transitionPolicy))
            : null,
          ...(input.categoryPrintPolicy ? { category_print_policy: input.categoryPrintPolicy } : {}),
          created_at: nowIso(ctx),
        })
        .execute(),
      input.insurerNumber,
    );
    await appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: 'insurer.create',
      insurerNumber: input.insurerNumber,
    });
    return { ...input };
  });
}

/** A concurrent registration of the same number loses on the primary key: the same conflict. */
async function insertOrConflict(insert: Promise<unknown>, number: string): Promise<void> {
  try {
    await insert;
  } catch (error) {
    if (uniqueViolation(error)) throw new ShikakuError('CONFLICT_INSURER_EXISTS', { insurerNumber: number });
    throw error;
  }
}

/** The association, or null when it is not hosted here. */
export async function findInsurer(db: Kysely<Database>, number: string): Promise<Insurer | null> {
  const row = await db.selectFrom('insurers').selectAll().where('insurer_number', '=', number).executeTakeFirst();
  return row ? insurerOfRow(row) : null;
}

/** An association's settings from its row (the transition policy left to those who decide with it). */
export function insurerOfRow(row: Selectable<InsurersTable>): Insurer {
  return {
    insurerNumber: row.insurer_number,
    name: row.name,
    certificatePolicy: JSON.parse(row.certificate_policy) as CertificateValidityPolicy,
    reissueFeeYen: Number(row.reissue_fee_yen),
    newMemberCertificate: row.new_member_certificate,
  };
}
