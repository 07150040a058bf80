import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPresentedCard } from '../src/cards/index.js';
import { insertTestResident, testMyNumber } from '../src/cards/testing.js';
import { buildApp } from '../src/http/app.js';
import type { ServiceContext } from '../src/services/context.js';
import { createToken } from '../src/services/tokens.js';
import { openTestContext, STORE_KINDS } from './support/stores.js';

const challenge = (): string => randomBytes(32).toString('base64');

describe.each(STORE_KINDS)('card routes on %s (DESIGN.md §5.3)', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let operator: Record<string, string>;
  let provider: Record<string, string>;
  const myNumber = testMyNumber(7);

  const post = (url: string, payload: unknown, headers = operator) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers });

  async function issue(body: Record<string, unknown> = {}): Promise<{ cardId: string; certificate: string }> {
    const response = await post('/api/v1/cards', { myNumber, issuedOn: '2025-11-21', pin: '1234', ...body });
    expect(response.statusCode).toBe(201);
    return response.json();
  }

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    app = await buildApp({ ctx });
    operator = { authorization: `Bearer ${(await createToken(ctx, { role: 'operator' })).token}` };
    provider = {
      authorization: `Bearer ${(await createToken(ctx, { role: 'provider', providerCode: '1311234566' })).token}`,
    };
    await insertTestResident(ctx, myNumber, '2008-06-15');
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  describe('POST /api/v1/cards', () => {
    it('issues a card: 201 with id, PEM certificate and expiry dates (17 at issue: 5th birthday)', async () => {
      const response = await post('/api/v1/cards', { myNumber, issuedOn: '2025-12-02', pin: '1234' });
      expect(response.statusCode).toBe(201);
      const body = response.json();
      expect(body).toMatchObject({ kind: 'card', cardExpiresOn: '2030-06-15', certificateExpiresOn: '2030-06-15' });
      expect(body.cardId).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.certificate).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      expect(JSON.stringify(body)).not.toMatch(/PRIVATE KEY|1234"/);
    });

    it('issues a smartphone credential', async () => {
      const response = await post('/api/v1/cards', {
        myNumber,
        issuedOn: '2025-12-02',
        pin: '1234',
        kind: 'smartphone',
      });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ kind: 'smartphone', cardExpiresOn: '2030-06-15' });
    });

    it('is for the operator only: 401 without a token, 403 for a provider', async () => {
      const body = { myNumber, issuedOn: '2025-12-02', pin: '1234' };
      const anonymous = await app.inject({ method: 'POST', url: '/api/v1/cards', payload: body });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().code).toBe('AUTH_REQUIRED');
      const forbidden = await post('/api/v1/cards', body, provider);
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(forbidden.json().code).toBe('FORBIDDEN');
    });

    it('answers request errors with stable codes', async () => {
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ myNumber: testMyNumber(8), issuedOn: '2025-12-02', pin: '1234' }, 404, 'RESIDENT_NOT_FOUND'],
        [
          {
            myNumber: `${myNumber.slice(0, 11)}${(Number(myNumber[11]) + 1) % 10}`,
            issuedOn: '2025-12-02',
            pin: '1234',
          },
          400,
          'MYNUMBER_CHECK_DIGIT',
        ],
        [{ myNumber, issuedOn: '2025-12-02', pin: '12345' }, 400, 'VALIDATION_FAILED'],
        [{ myNumber, issuedOn: '2025-02-29', pin: '1234' }, 400, 'VALIDATION_DATE'],
        [{ myNumber, issuedOn: '2025-12-02', pin: '1234', birthDate: '2008-06-15' }, 400, 'VALIDATION_UNKNOWN_FIELD'],
        [{ myNumber, issuedOn: '2025-12-02', pin: '1234', kind: 'watch' }, 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, status, code] of cases) {
        const response = await post('/api/v1/cards', body);
        expect({ status: response.statusCode, code: response.json().code }).toEqual({ status, code });
      }
    });
  });

  describe('POST /api/v1/cards/{id}:sign', () => {
    it('answers at the literal URL with a signature that verifies against the certificate', async () => {
      const { cardId, certificate } = await issue();
      const c = challenge();
      const response = await post(`/api/v1/cards/${cardId}:sign`, { challenge: c, pin: '1234' });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.certificate).toBe(certificate);
      const inspection = await inspectPresentedCard(
        ctx,
        { certificatePem: body.certificate, challenge: c, signature: body.signature },
        '2025-12-02',
      );
      expect(inspection).toMatchObject({ chain: 'trusted', signature: 'valid', card: { cardId } });
      // A client that percent-encodes the colon reaches the same route (a provider signs its own challenge).
      const issued = await app.inject({ method: 'GET', url: '/api/v1/verifications/challenge', headers: provider });
      const encoded = await post(`/api/v1/cards/${cardId}%3Asign`, { challenge: issued.json().challenge }, provider);
      expect(encoded.statusCode).toBe(200);
    });

    it('counts wrong PINs down (401 with remainingTries) and locks on the 3rd (423); no PIN still signs', async () => {
      const { cardId } = await issue();
      const url = `/api/v1/cards/${cardId}:sign`;
      const first = await post(url, { challenge: challenge(), pin: '0000' });
      expect(first.statusCode).toBe(401);
      expect(first.json()).toMatchObject({ code: 'CARD_PIN_WRONG', remainingTries: 2, details: { remainingTries: 2 } });
      expect((await post(url, { challenge: challenge(), pin: '0001' })).json().remainingTries).toBe(1);
      const third = await post(url, { challenge: challenge(), pin: '0002' });
      expect(third.statusCode).toBe(423);
      expect(third.json().code).toBe('CARD_PIN_LOCKED');
      expect((await post(url, { challenge: challenge(), pin: '1234' })).statusCode).toBe(423);
      expect((await post(url, { challenge: challenge() })).statusCode).toBe(200);
      const view = await app.inject({ method: 'GET', url: `/api/v1/cards/${cardId}`, headers: operator });
      expect(view.json()).toMatchObject({ pinLocked: true, pinRemainingTries: 0 });
    });

    it('refuses bad input, unknown cards and unknown actions', async () => {
      const { cardId } = await issue();
      expect((await post(`/api/v1/cards/${cardId}:sign`, { challenge: 'not base64!' })).statusCode).toBe(400);
      expect((await post(`/api/v1/cards/${cardId}:sign`, { challenge: challenge(), pin: 'abcd' })).statusCode).toBe(
        400,
      );
      const unknown = await post('/api/v1/cards/00000000-0000-4000-8000-000000000000:sign', { challenge: challenge() });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('CARD_NOT_FOUND');
      expect((await post(`/api/v1/cards/${cardId}:bogus`, {})).statusCode).toBe(404);
    });
  });

  describe('registration and card life', () => {
    it('registers (201), refuses near certificate expiry (409), cancels with DELETE and a body', async () => {
      const { cardId } = await issue();
      const registered = await post(`/api/v1/cards/${cardId}/registration`, {
        recordedOn: '2025-12-01',
        channel: 'reader',
      });
      expect(registered.statusCode).toBe(201);
      expect(registered.json()).toMatchObject({ cardId, kind: 'registered', state: 'active', channel: 'reader' });
      // Certificate to 2030-06-15: 2030-06-10 is within 5 days.
      const late = await post(`/api/v1/cards/${cardId}/registration`, { recordedOn: '2030-06-10', channel: 'portal' });
      expect(late.statusCode).toBe(409);
      expect(late.json().code).toBe('CONFLICT_REGISTRATION_CERT_EXPIRING');
      const bad = await post(`/api/v1/cards/${cardId}/registration`, { recordedOn: '2025-12-01', channel: 'fax' });
      expect(bad.statusCode).toBe(400);

      const cancelled = await app.inject({
        method: 'DELETE',
        url: `/api/v1/cards/${cardId}/registration`,
        payload: { recordedOn: '2026-01-05' },
        headers: operator,
      });
      expect(cancelled.statusCode).toBe(200);
      expect(cancelled.json()).toMatchObject({ kind: 'cancelled', state: 'cancelled', recordedOn: '2026-01-05' });
      const forbidden = await app.inject({
        method: 'DELETE',
        url: `/api/v1/cards/${cardId}/registration`,
        payload: { recordedOn: '2026-01-05' },
        headers: provider,
      });
      expect(forbidden.statusCode).toBe(403);
    });

    it('renews, revokes, returns and invalidates at the literal action URLs', async () => {
      const { cardId } = await issue();
      const renewed = await post(`/api/v1/cards/${cardId}:renew-certificate`, { issuedOn: '2026-01-05' });
      expect(renewed.statusCode).toBe(200);
      expect(renewed.json()).toMatchObject({ cardId, issuedOn: '2026-01-05', certificateExpiresOn: '2030-06-15' });
      expect(renewed.json().revokedSerials).toHaveLength(1);

      const revoked = await post(`/api/v1/cards/${cardId}:revoke-certificate`, { revokedOn: '2026-02-01' });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json()).toEqual({ cardId, revokedOn: '2026-02-01', revokedSerials: [renewed.json().serial] });

      expect((await post(`/api/v1/cards/${cardId}:return`, { returnedOn: '2026-03-01' }, provider)).statusCode).toBe(
        403,
      );
      const returned = await post(`/api/v1/cards/${cardId}:return`, { returnedOn: '2026-03-01' });
      expect(returned.statusCode).toBe(200);
      expect(returned.json()).toEqual({ cardId, status: 'returned', endedOn: '2026-03-01' });
      const refused = await post(`/api/v1/cards/${cardId}:sign`, { challenge: challenge() });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('CONFLICT_CARD_STATE');

      const other = await issue();
      const invalidated = await post(`/api/v1/cards/${other.cardId}:invalidate`, { invalidatedOn: '2026-04-01' });
      expect(invalidated.json()).toEqual({ cardId: other.cardId, status: 'invalidated', endedOn: '2026-04-01' });
      const view = await app.inject({
        method: 'GET',
        url: `/api/v1/cards/${other.cardId}?asOf=2026-03-31`,
        headers: operator,
      });
      expect(view.json()).toMatchObject({ status: 'active', endedOn: null, asOf: '2026-03-31' });
      expect((await post(`/api/v1/cards/${other.cardId}:invalidate`, { invalidatedOn: '2026-04-02' })).statusCode).toBe(
        409,
      );
      expect(
        (await post(`/api/v1/cards/${other.cardId}:return`, { returnedOn: '2026-04-01', extra: 1 })).json().code,
      ).toBe('VALIDATION_UNKNOWN_FIELD');
    });
  });
});
