import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { publicOrigin, publicUrlFromEnv } from './public-url.js';

const request = (headers: Record<string, string>) =>
  ({ protocol: 'http', host: 'internal:8080', headers }) as unknown as FastifyRequest;

describe('the public base URL', () => {
  it('reads SHIKAKU_PUBLIC_URL and SHIKAKU_TRUST_PROXY, refusing a URL with a query', () => {
    expect(publicUrlFromEnv({})).toEqual({ url: undefined, trustProxy: false });
    expect(publicUrlFromEnv({ SHIKAKU_PUBLIC_URL: 'https://s.example.jp/base', SHIKAKU_TRUST_PROXY: 'true' })).toEqual({
      url: 'https://s.example.jp/base',
      trustProxy: true,
    });
    expect(() => publicUrlFromEnv({ SHIKAKU_PUBLIC_URL: 'https://s.example.jp/?x=1' })).toThrow(/SHIKAKU_PUBLIC_URL/u);
    expect(() => publicUrlFromEnv({ SHIKAKU_PUBLIC_URL: 's.example.jp' })).toThrow(/SHIKAKU_PUBLIC_URL/u);
  });

  it('believes X-Forwarded-* only behind a trusted proxy, and only well-formed values', () => {
    const forwarded = { 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'shikaku.example.jp' };
    expect(publicOrigin(request(forwarded), {})).toBe('http://internal:8080');
    expect(publicOrigin(request(forwarded), { trustProxy: true })).toBe('https://shikaku.example.jp');
    expect(publicOrigin(request(forwarded), { url: 'https://a.example.jp/', trustProxy: true })).toBe(
      'https://a.example.jp',
    );
    const odd = { 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'a.example.jp/evil path' };
    expect(publicOrigin(request(odd), { trustProxy: true })).toBe('http://internal:8080');
  });
});
