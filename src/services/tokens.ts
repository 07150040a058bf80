import { createHash, randomBytes } from 'node:crypto';
import { ShikakuError } from '../domain/codes.js';
import { assertInsurerNumber } from '../domain/insurer-number.js';
import { assertProviderCode } from '../domain/provider-code.js';
import { type Actor, type Role, systemActor } from './actor.js';
import { appendAudit } from './audit.js';
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
    if (!value)
      throw new ShikakuError(
        'VALIDATION_FAILED',
        { field: what },
        { ja: `${what}が必要です`, en: `${what} is required for role ${r.role}` },
      );
    return value;
  };
  switch (r.role) {
    case 'operator':
      return { insurer_number: null, employer_symbol: null, provider_code: null, member_id: null };
    case 'admin':
      return {
        insurer_number: assertInsurerNumber(need(r.insurerNumber, 'insurer')),
        employer_symbol: null,
        provider_code: null,
        member_id: null,
      };
    case 'employer':
      return {
        insurer_number: assertInsurerNumber(need(r.insurerNumber, 'insurer')),
        employer_symbol: need(r.employerSymbol, 'employer'),
        provider_code: null,
        member_id: null,
      };
    case 'provider':
      return {
        insurer_number: null,
        employer_symbol: null,
        provider_code: assertProviderCode(need(r.providerCode, 'provider')),
        member_id: null,
      };
    case 'member':
      return {
        insurer_number: null,
        employer_symbol: null,
        provider_code: null,
        member_id: need(r.memberId, 'member'),
      };
  }
}

/**
 * How long a process trusts a token it has looked up (docs/PERFORMANCE.md): every API request
 * authenticates, and this saves the lookup on all but one request per token and interval. A
 * revocation made by this process (`revokeToken`) applies at once; one made by another process
 * sharing the database (another `shikaku serve`, `shikaku token revoke`) applies within this time.
 * Expiry is checked against the clock on every request, cached or not.
 */
export const TOKEN_CACHE_TTL_MS = 3_000;
const TOKEN_CACHE_SIZE = 10_000;

interface CachedToken {
  actor: Actor;
  expiresAt: string | null;
  /** performance.now() of the lookup (cache age only: business time comes from ctx.clock). */
  loadedAt: number;
}

const tokenCaches = new WeakMap<object, Map<string, CachedToken>>();

function tokenCache(ctx: ServiceContext): Map<string, CachedToken> {
  let cache = tokenCaches.get(ctx.store.db);
  if (!cache) {
    cache = new Map();
    tokenCaches.set(ctx.store.db, cache);
  }
  return cache;
}

/** The actor behind a bearer token, or null when it is unknown, revoked or expired. */
export async function authenticate(ctx: ServiceContext, token: string): Promise<Actor | null> {
  if (!token.startsWith(PREFIX)) return null;
  const hash = hashToken(token);
  const cache = tokenCache(ctx);
  let entry = cache.get(hash);
  if (!entry || performance.now() - entry.loadedAt > TOKEN_CACHE_TTL_MS) {
    cache.delete(hash);
    const row = await ctx.store.db.selectFrom('tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    // Unknown and revoked tokens are not cached: a token created meanwhile elsewhere works at once.
    if (!row || row.revoked_at) return null;
    entry = {
      actor: {
        tokenId: row.id,
        role: row.role,
        insurerNumber: row.insurer_number,
        employerSymbol: row.employer_symbol,
        providerCode: row.provider_code,
        memberId: row.member_id,
      },
      expiresAt: row.expires_at,
      loadedAt: performance.now(),
    };
    if (cache.size >= TOKEN_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(hash, entry);
  }
  if (entry.expiresAt && entry.expiresAt <= nowIso(ctx)) return null;
  return entry.actor;
}

/**
 * Default lifetime of a token minted by `shikaku token create` without `--expires-in`
 * (docs/OPERATIONS.md): a member token stands in for a login session; a provider token is a reception
 * terminal's credential, renewed each quarter. Roles run by the association's or the platform's
 * staff get none by default (their tokens are revoked when staff leave), but may be given one.
 */
export const DEFAULT_TOKEN_LIFETIME: Readonly<Record<Role, string | null>> = {
  member: '24h',
  provider: '90d',
  employer: null,
  admin: null,
  operator: null,
};

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90m`, `8h`, `30d` → milliseconds; null for `never`. Throws VALIDATION_FAILED on anything else. */
export function parseLifetime(text: string): number | null {
  if (text === 'never') return null;
  const match = /^(\d{1,6})([mhd])$/.exec(text);
  const amount = Number(match?.[1]);
  if (!match || amount < 1) {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { field: 'expiresIn' },
      { ja: '有効期間は 90m / 8h / 30d / never の形式です', en: 'a lifetime is like 90m, 8h, 30d or never' },
    );
  }
  return amount * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Revokes a token at once (its next request answers 401); audited. False when unknown or already revoked. */
export async function revokeToken(
  ctx: ServiceContext,
  id: string,
  actor: Actor = systemActor('operator'),
): Promise<boolean> {
  const at = nowIso(ctx);
  const revoked = await ctx.store.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const revoked = Number(result.numUpdatedRows) > 0;
    if (revoked)
      await appendAudit(trx, ctx.store.dialect, actor, at, { action: 'token.revoke', detail: { tokenId: id } });
    return revoked;
  });
  // This process stops trusting the token now (after the commit, so no lookup re-caches the old
  // row); other processes within TOKEN_CACHE_TTL_MS.
  const cache = tokenCache(ctx);
  for (const [hash, entry] of cache) if (entry.actor.tokenId === id) cache.delete(hash);
  return revoked;
}

export interface TokenInfo {
  id: string;
  role: Role;
  insurerNumber: string | null;
  employerSymbol: string | null;
  providerCode: string | null;
  memberId: string | null;
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

/** Every token, newest first: ids, roles, scopes and dates. Never the token (only its hash is kept). */
export async function listTokens(ctx: ServiceContext, options: { all?: boolean } = {}): Promise<TokenInfo[]> {
  const now = nowIso(ctx);
  const rows = await ctx.store.db
    .selectFrom('tokens')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  const infos = rows.map(
    (row): TokenInfo => ({
      id: row.id,
      role: row.role,
      insurerNumber: row.insurer_number,
      employerSymbol: row.employer_symbol,
      providerCode: row.provider_code,
      memberId: row.member_id,
      label: row.label,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      status: row.revoked_at ? 'revoked' : row.expires_at && row.expires_at <= now ? 'expired' : 'active',
    }),
  );
  return options.all ? infos : infos.filter((t) => t.status === 'active');
}
