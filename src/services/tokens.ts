import { createHash, randomBytes } from 'node:crypto';
import { ShikakuError } from '../domain/codes.js';
import { assertInsurerNumber } from '../domain/insurer-number.js';
import { assertProviderCode } from '../domain/provider-code.js';
import type { Actor, Role } from './actor.js';
import { newId, nowIso, type ServiceContext } from './context.js';

export interface TokenRequest {
  role: Role;
  insurerNumber?: string | undefined;
  employerSymbol?: string | undefined;
  providerCode?: string | undefined;
  memberId?: string | undefined;
  label?: string | undefined;
  /** ISO instant after which the token no longer works. */
  expiresAt?: string | undefined;
}

const PREFIX = 'shk_';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Mints a bearer token; only its hash is stored, so the token is shown once. The scope a role needs
 * is required here, so no token can act outside one association, employer, provider or member.
 */
export async function createToken(ctx: ServiceContext, request: TokenRequest): Promise<{ id: string; token: string }> {
  const scope = scopeFor(request);
  const token = PREFIX + randomBytes(32).toString('base64url');
  const id = newId();
  await ctx.store.db
    .insertInto('tokens')
    .values({
      id,
      token_hash: hashToken(token),
      role: request.role,
      ...scope,
      label: request.label ?? null,
      created_at: nowIso(ctx),
      expires_at: request.expiresAt ?? null,
      revoked_at: null,
    })
    .execute();
  return { id, token };
}

function scopeFor(r: TokenRequest) {
  const need = (value: string | undefined, what: string): string => {
    if (!value) throw new ShikakuError('VALIDATION_FAILED', { field: what }, { ja: `${what}が必要です`, en: `${what} is required for role ${r.role}` });
    return value;
  };
  switch (r.role) {
    case 'operator':
      return { insurer_number: null, employer_symbol: null, provider_code: null, member_id: null };
    case 'admin':
      return { insurer_number: assertInsurerNumber(need(r.insurerNumber, 'insurer')), employer_symbol: null, provider_code: null, member_id: null };
    case 'employer':
      return {
        insurer_number: assertInsurerNumber(need(r.insurerNumber, 'insurer')),
        employer_symbol: need(r.employerSymbol, 'employer'),
        provider_code: null,
        member_id: null,
      };
    case 'provider':
      return { insurer_number: null, employer_symbol: null, provider_code: assertProviderCode(need(r.providerCode, 'provider')), member_id: null };
    case 'member':
      return { insurer_number: null, employer_symbol: null, provider_code: null, member_id: need(r.memberId, 'member') };
  }
}

/** The actor behind a bearer token, or null when it is unknown, revoked or expired. */
export async function authenticate(ctx: ServiceContext, token: string): Promise<Actor | null> {
  if (!token.startsWith(PREFIX)) return null;
  const row = await ctx.store.db
    .selectFrom('tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  if (row.expires_at && row.expires_at <= nowIso(ctx)) return null;
  return {
    tokenId: row.id,
    role: row.role,
    insurerNumber: row.insurer_number,
    employerSymbol: row.employer_symbol,
    providerCode: row.provider_code,
    memberId: row.member_id,
  };
}

export async function revokeToken(ctx: ServiceContext, id: string): Promise<boolean> {
  const result = await ctx.store.db
    .updateTable('tokens')
    .set({ revoked_at: nowIso(ctx) })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
