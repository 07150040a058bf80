import { describe, expect, it } from 'vitest';
import { buildNoticeContents, type LastNotice, type NoticeFacts, noticeDue } from './notice.js';

/** Born on the 2nd: 70–74 from 2026-06-01 (the month after reaching 70 on 2026-05-01). */
const facts: NoticeFacts = {
  insurerNumber: '06139992',
  insurerName: 'シカク工業健康保険組合',
  symbol: '1234',
  number: '567',
  branch: '00',
  relationship: 'insured',
  name: '山田 太郎',
  nameKana: 'ヤマダ タロウ',
  birthDate: '1956-05-02',
  sex: 'male',
  acquiredOn: '2000-04-01',
  myNumberLast4: '0018',
  insuredRemuneration: 200_000,
};

const lastOf = (f: NoticeFacts, on: string): LastNotice => buildNoticeContents(f, on);
const due = (f: NoticeFacts, last: LastNotice | null, asOf: string) =>
  noticeDue({ memberId: 'm1', facts: f, lastNotice: last, asOf });

describe('noticeDue: a new お知らせ when what it shows changes, issued once', () => {
  const initial = lastOf(facts, '2025-10-01');

  it('is the acquisition notice when none was issued', () => {
    expect(due(facts, null, '2025-10-01')).toEqual({
      changes: ['acquisition'],
      statedOn: '2025-10-01',
      dedupeKey: 'm1:acquisition:2000-04-01',
    });
  });

  it('is nothing while nothing printed changed (a name change never)', () => {
    expect(due(facts, initial, '2026-04-30')).toBeNull();
    expect(due({ ...facts, name: '山田 次郎' }, initial, '2026-04-30')).toBeNull();
  });

  it('turning 70 (born on the 2nd): due from 2026-05-01, stating the ratio as of 2026-06-01', () => {
    const d = due(facts, initial, '2026-05-01');
    expect(d).toEqual({
      changes: ['became_elderly'],
      statedOn: '2026-06-01',
      dedupeKey: 'm1:elderly=2026-06-01:after:2025-10-01',
    });
    expect(buildNoticeContents(facts, d?.statedOn ?? '').burdenRatio).toBe(20);
    // The same run retried, or the next day's run before the notice is stored: the same key.
    expect(due(facts, initial, '2026-05-20')?.dedupeKey).toBe(d?.dedupeKey);
  });

  it('born on the 1st: due from the month before the birthday month', () => {
    const first = { ...facts, birthDate: '1956-05-01' }; // 70–74 from 2026-05-01
    expect(due(first, lastOf(first, '2025-10-01'), '2026-03-31')).toBeNull();
    expect(due(first, lastOf(first, '2025-10-01'), '2026-04-01')?.changes).toEqual(['became_elderly']);
  });

  it('once issued, the next runs (before and after the band starts) find nothing new', () => {
    const sent = { ...buildNoticeContents(facts, '2026-06-01'), issuedOn: '2026-05-01' };
    expect(due(facts, sent, '2026-05-02')).toBeNull();
    expect(due(facts, sent, '2026-06-01')).toBeNull();
    expect(due(facts, sent, '2026-12-01')).toBeNull();
  });

  it('a ratio change: the 基準収入額適用 of a 現役並み member (3割 → 2割 from the next month)', () => {
    const high = { ...facts, insuredRemuneration: 300_000 };
    const sent = lastOf(high, '2026-06-01');
    expect(sent.burdenRatio).toBe(30);
    const approved = { ...high, standardIncomeApprovedOn: '2026-09-15' };
    expect(due(approved, sent, '2026-09-30')).toBeNull();
    expect(due(approved, sent, '2026-10-01')).toEqual({
      changes: ['burden_ratio_change'],
      statedOn: '2026-10-01',
      dedupeKey: 'm1:ratio=20:after:2026-06-01',
    });
  });

  it('a new 記号・番号 (and the 枝番 alone)', () => {
    expect(due({ ...facts, symbol: '9999' }, initial, '2026-01-05')).toEqual({
      changes: ['number_change'],
      statedOn: '2026-01-05',
      dedupeKey: 'm1:number=9999/567/00:after:2025-10-01',
    });
    expect(due({ ...facts, branch: '01' }, initial, '2026-01-05')?.changes).toEqual(['branch_change']);
  });

  it('nothing once the member is lost or 75 (後期高齢者医療)', () => {
    expect(due({ ...facts, lostOn: '2026-01-01' }, initial, '2026-01-05')).toBeNull();
    expect(due(facts, initial, '2031-05-02')).toBeNull();
  });

  it('a child leaving 未就学 (born 04-01 vs 04-02): 2割 → 3割 from the next 04-01', () => {
    const child = { ...facts, relationship: 'dependent' as const, birthDate: '2019-04-01' };
    const sent = lastOf(child, '2024-12-02');
    expect(due(child, sent, '2025-03-31')).toBeNull();
    expect(due(child, sent, '2025-04-01')?.changes).toEqual(['burden_ratio_change']);
    const later = { ...child, birthDate: '2019-04-02' };
    expect(due(later, lastOf(later, '2024-12-02'), '2025-04-01')).toBeNull();
  });
});
