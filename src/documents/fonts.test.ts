import { describe, expect, it } from 'vitest';
import { documentFont, FONT_CANDIDATES, resolveFontPath } from './fonts.js';

const DEBIAN = '/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf';
const NOTO = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const only =
  (...paths: string[]) =>
  (p: string): boolean =>
    paths.includes(p);

describe('resolveFontPath', () => {
  it('takes SHIKAKU_FONT first, even when a Debian font is installed', () => {
    expect(resolveFontPath({ SHIKAKU_FONT: '/opt/fonts/x.ttf' }, only('/opt/fonts/x.ttf', DEBIAN))).toEqual({
      path: '/opt/fonts/x.ttf',
    });
  });

  it('fails loudly when SHIKAKU_FONT points nowhere instead of falling back', () => {
    expect(() => resolveFontPath({ SHIKAKU_FONT: '/nope.ttf' }, only(DEBIAN))).toThrow(/SHIKAKU_FONT=\/nope\.ttf/);
  });

  it('needs SHIKAKU_FONT_FAMILY for a collection', () => {
    expect(() => resolveFontPath({ SHIKAKU_FONT: NOTO }, only(NOTO))).toThrow(/SHIKAKU_FONT_FAMILY/);
    expect(resolveFontPath({ SHIKAKU_FONT: NOTO, SHIKAKU_FONT_FAMILY: 'NotoSansCJKjp-Regular' }, only(NOTO))).toEqual({
      path: NOTO,
      family: 'NotoSansCJKjp-Regular',
    });
  });

  it('prefers Debian IPAexGothic over Noto CJK, and uses Noto (with its face) when it is the only one', () => {
    expect(resolveFontPath({}, only(NOTO, DEBIAN)).path).toBe(DEBIAN);
    expect(resolveFontPath({}, only(NOTO))).toEqual({ path: NOTO, family: 'NotoSansCJKjp-Regular' });
    expect(FONT_CANDIDATES[0]?.path).toBe(DEBIAN);
  });

  it('names the Debian package to install when no font is found', () => {
    expect(() => resolveFontPath({}, () => false)).toThrow(/apt-get install fonts-ipaexfont-gothic/);
  });
});

describe('documentFont', () => {
  it('reads the font once and hands out the same Buffer', () => {
    const a = documentFont();
    const b = documentFont();
    expect(b.buffer).toBe(a.buffer);
    // A TrueType/OpenType file or collection, not an empty read.
    expect(['\0\x01\0\0', 'OTTO', 'ttcf', 'true']).toContain(a.buffer.subarray(0, 4).toString('latin1'));
    expect(a.buffer.length).toBeGreaterThan(1_000_000);
  });
});
