import { describe, expect, it } from 'vitest';
import { toAuditEvent } from './audit-event.js';
import { r4Problems } from './r4-validator.test-helper.js';
import { SID } from './systems.js';

describe('toAuditEvent', () => {
  const row = {
    seq: 7,
    at: '2025-12-02T01:00:00.000Z',
    actor: 'provider:tok-1',
    action: 'verification',
    insurer_number: '06139992',
    member_id: 'm-1',
    detail: '{"outcome":"eligible","reasons":[]}',
    chain: 'insurer:06139992',
    prev_seq: 6,
    prev_hash: 'a'.repeat(64),
    hash: 'b'.repeat(64),
  };

  it('validates and carries the record, its actor, the member id and the chain hashes', () => {
    const e = toAuditEvent(row);
    expect(r4Problems(e)).toEqual([]);
    expect(e).toMatchObject({ id: '7', action: 'E', recorded: row.at, outcome: '0' });
    expect(e.agent[0]?.who?.display).toBe('provider:tok-1');
    expect(e.entity?.[0]?.what?.identifier).toEqual({ system: SID.member, value: 'm-1' });
    expect(e.entity?.[1]?.what?.reference).toBe('Organization/06139992');
    expect(e.entity?.[2]?.detail?.map((d) => d.type)).toEqual(['detail', 'hash', 'prevHash']);
  });

  it('marks reads R and a system record without member or insurer with the chain entity only', () => {
    const e = toAuditEvent({ ...row, action: 'fhir.read', member_id: null, insurer_number: null, actor: 'system' });
    expect(r4Problems(e)).toEqual([]);
    expect(e.action).toBe('R');
    expect(e.entity).toHaveLength(1);
  });
});
