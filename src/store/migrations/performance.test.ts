import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../../test/support/stores.js';
import type { Store } from '../db.js';

/**
 * SQLite runs without ANALYZE, so the plan is chosen from the indexes alone: these are the plans the
 * bench found wrong before 0003-performance (a scan of the whole association per notification, and
 * per page of the ex-officio run).
 */
describe('0003-performance on SQLite', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('sqlite');
  });
  afterAll(async () => {
    await store.close();
  });

  const plan = (query: string, params: unknown[]) => {
    if (!store.sqlite) throw new Error('expected a SQLite store');
    return (store.sqlite.prepare(`explain query plan ${query}`).all(...params) as Array<{ detail: string }>)
      .map((r) => r.detail)
      .join('; ');
  };

  it('finds an active member of an association by My Number through members_person', () => {
    expect(
      plan('select id from members where insurer_number = ? and my_number_index = ? and lost_on is null', ['x', 'y']),
    ).toContain('USING COVERING INDEX members_person (my_number_index=? AND insurer_number=? AND lost_on=?)');
  });

  it('finds a person across associations through members_person', () => {
    expect(plan('select id from members where my_number_index = ?', ['y'])).toContain('members_person');
  });

  it('pages an association in id order from the covering index alone (0004)', () => {
    const detail = plan(
      'select id, insurer_number, acquired_on, lost_on, birth_date, my_number_index from members where insurer_number = ? and id > ? order by id limit 500',
      ['x', 'y'],
    );
    expect(detail).toContain('USING COVERING INDEX members_issuance');
    expect(detail).not.toContain('TEMP B-TREE');
  });

  it("reads a page's legacy cards from the covering index alone (0004)", () => {
    expect(plan('select member_id, issued_on from legacy_cards where member_id in (?, ?)', ['x', 'y'])).toContain(
      'USING COVERING INDEX legacy_cards_member_issued',
    );
  });
});
