import { describe, expect, it } from 'vitest';
import { shikaku } from '../support/cli.js';

describe('shikaku serve --port', () => {
  it('refuses a port that is not a whole number from 0 to 65535 with a coded message in both languages', async () => {
    for (const bad of ['abc', '99999', '80.5', '-1']) {
      const result = await shikaku(['serve', '--port', bad, '--db', ':memory:']);
      expect(result.code, bad).toBe(2);
      expect(result.stderr).toContain('error VALIDATION_FAILED');
      expect(result.stderr).toContain('--port は 0〜65535 の整数で指定してください');
      expect(result.stderr).toContain(`not "${bad}"`);
    }
  });
});
