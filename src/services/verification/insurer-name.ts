import type { Kysely } from 'kysely';
import { fastAll } from '../../store/fast.js';
import type { Database } from '../../store/schema.js';

/** How long an association's name is reused: names are not edited today; a rename shows within this. */
const INSURER_NAME_TTL_MS = 60_000;
const insurerNames = new WeakMap<object, Map<string, { name: string; loadedAt: number }>>();

/** The association's name for the answer, cached per store (one query per association and minute). */
export async function insurerNameOf(db: Kysely<Database>, insurerNumber: string): Promise<string> {
  let cache = insurerNames.get(db);
  if (!cache) {
    cache = new Map();
    insurerNames.set(db, cache);
  }
  const hit = cache.get(insurerNumber);
  if (hit && performance.now() - hit.loadedAt < INSURER_NAME_TTL_MS) return hit.name;
  const [row] = await fastAll<{ name: string }>(db, 'select name from insurers where insurer_number = ?', [
    insurerNumber,
  ]);
  const name = row?.name ?? '';
  if (row) cache.set(insurerNumber, { name, loadedAt: performance.now() });
  return name;
}
