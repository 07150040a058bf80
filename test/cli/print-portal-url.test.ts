import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refuseLocalPortalUrl } from '../../src/cli/certificates.js';
import { keyringFromSecret } from '../../src/security/keyring.js';
import { DEMO_INSURER } from '../../src/services/demo.js';
import { demoStoreFile, shikaku } from '../support/cli.js';

const SECRET = '7'.repeat(64);

describe('shikaku print notices and the portal URL of the QR code', () => {
  it('tells a URL of this machine from one a member can open', () => {
    for (const local of [
      'http://localhost:8080/portal',
      'http://127.0.0.1/portal',
      'http://[::1]:8080/',
      'http://0.0.0.0/',
      'http://app.localhost/',
      'not a url',
    ]) {
      expect(() => refuseLocalPortalUrl(local), local).toThrow(/SHIKAKU_PORTAL_URL/);
    }
    for (const reachable of ['https://kumiai.example.jp/portal', 'https://10.1.2.3/portal']) {
      expect(() => refuseLocalPortalUrl(reachable), reachable).not.toThrow();
    }
  });

  it('refuses to print お知らせ whose QR code would point at localhost, unless asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shikaku-print-'));
    const db = join(dir, 'demo.db');
    await demoStoreFile(db, keyringFromSecret(Buffer.from(SECRET, 'hex')));
    const env = { SHIKAKU_KEY: SECRET };
    const args = (out: string) => ['print', 'notices', '--insurer', DEMO_INSURER, '--out', join(dir, out), '--db', db];

    const refused = await shikaku(args('refused'), env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('SHIKAKU_PORTAL_URL');
    expect(refused.stderr).toContain('http://localhost:8080/portal');
    expect(() => readdirSync(join(dir, 'refused'))).toThrow();

    const rehearsal = await shikaku([...args('rehearsal'), '--allow-local-portal-url'], env);
    expect(rehearsal.code, rehearsal.stderr).toBe(0);
    expect(readdirSync(join(dir, 'rehearsal')).length).toBeGreaterThan(0);

    const real = await shikaku(args('real'), { ...env, SHIKAKU_PORTAL_URL: 'https://kumiai.example.jp/portal' });
    expect(real.code, real.stderr).toBe(0);
    expect(readdirSync(join(dir, 'real')).length).toBeGreaterThan(0);
  });
});
