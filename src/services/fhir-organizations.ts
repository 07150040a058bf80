/** The associations FHIR Organization searches list (public bodies: no personal data). */
import type { Kysely } from 'kysely';
import type { InsurerFacts } from '../fhir/organization.js';
import type { Database } from '../store/schema.js';

/** The hosted associations, by 保険者番号; only those in `insurerNumbers` when given. */
export async function insurersIn(db: Kysely<Database>, insurerNumbers?: ReadonlySet<string>): Promise<InsurerFacts[]> {
  let query = db.selectFrom('insurers').select(['insurer_number', 'name']);
  if (insurerNumbers) query = query.where('insurer_number', 'in', insurerNumbers.size > 0 ? [...insurerNumbers] : ['']);
  const rows = await query.orderBy('insurer_number').execute();
  return rows.map((r) => ({ insurerNumber: r.insurer_number, name: r.name }));
}
