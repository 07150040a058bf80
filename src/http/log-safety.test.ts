import { describe, expect, it } from 'vitest';
import { loggablePath, safeErrorLog, scrubMessage, stackFrames } from './log-safety.js';

describe('log safety', () => {
  it('scrubs quoted text, Japanese text, digit runs, opaque strings and e-mail addresses from a message', () => {
    expect(scrubMessage('insert failed for "協会 太郎" (キョウカイ タロウ) 123456789018')).toBe(
      'insert failed for "…" (…) #',
    );
    expect(scrubMessage("Unexpected token '協' in JSON at position 12")).toBe(
      'Unexpected token "…" in JSON at position 12',
    );
    expect(scrubMessage('born 1989-10-01, token shk_abcdefghijklmnopqrstuvwxyz012345')).toBe('born #, token …');
    expect(scrubMessage('mail taro@example.co.jp failed')).toBe('mail …@… failed');
    expect(scrubMessage('UNIQUE constraint failed: members.insurer_number, members.symbol')).toBe(
      'UNIQUE constraint failed: members.insurer_number, members.symbol',
    );
    expect(scrubMessage('x'.repeat(19) + ' '.repeat(300)).length).toBe(200);
  });

  it('keeps only the stack frames, never the first line that repeats the message', () => {
    const error = new Error('failed for 協会 太郎');
    const frames = stackFrames(error.stack);
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame).toMatch(/^at /);
    expect(frames.join('\n')).not.toContain('協会');
    expect(stackFrames(undefined)).toEqual([]);
  });

  it('logs an error as type, code, scrubbed message and frames', () => {
    const error = Object.assign(new TypeError('bad 123456789018'), { code: 'ERR_X' });
    expect(safeErrorLog(error)).toMatchObject({ type: 'TypeError', code: 'ERR_X', message: 'bad #' });
  });

  it('masks a My Number or an encoded name in a path, keeping ids readable', () => {
    expect(loggablePath('/api/v1/residents/123456789018')).toBe('/api/v1/residents/#');
    expect(loggablePath(`/api/v1/members/${encodeURIComponent('協会 太郎')}`)).toBe('/api/v1/members/…');
    expect(loggablePath('/api/v1/members/0b6f1c2e-3d4a-4b5c-8d9e-0f1a2b3c4d5e/legacy-cards')).toBe(
      '/api/v1/members/0b6f1c2e-3d4a-4b5c-8d9e-0f1a2b3c4d5e/legacy-cards',
    );
    expect(loggablePath('/api/v1/a%20b/06139992')).toBe('/api/v1/a%20b/06139992');
  });
});
