import { ShikakuError } from '../domain/codes.js';

export type Role = 'operator' | 'admin' | 'employer' | 'provider' | 'member';

/**
 * Who is acting, from the bearer token: a role and a scope (保険者番号, 事業所記号, 医療機関コード or
 * member id). Services check it first (DESIGN.md §5; anchors B.5 #4), routes never decide access.
 */
export interface Actor {
  readonly tokenId: string;
  readonly role: Role;
  readonly insurerNumber: string | null;
  readonly employerSymbol: string | null;
  readonly providerCode: string | null;
  readonly memberId: string | null;
}

/** The system itself (demo seed, CLI batches run by an operator at the console). */
export function systemActor(role: Role = 'operator', scope: Partial<Actor> = {}): Actor {
  return {
    tokenId: 'system',
    role,
    insurerNumber: null,
    employerSymbol: null,
    providerCode: null,
    memberId: null,
    ...scope,
  };
}

export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.includes(actor.role)) throw new ShikakuError('FORBIDDEN', { role: actor.role });
}

/** The 医療機関コード of a provider actor (role provider with its scope), else FORBIDDEN. */
export function providerCodeOf(actor: Actor): string {
  requireRole(actor, 'provider');
  if (!actor.providerCode) throw new ShikakuError('FORBIDDEN', { scope: 'provider' });
  return actor.providerCode;
}

/** Admins of this association, or employers of it (optionally limited to their own 記号). */
export function requireInsurerScope(
  actor: Actor,
  insurerNumber: string,
  allowed: Role[] = ['admin'],
  symbol?: string,
): void {
  requireRole(actor, ...allowed);
  if (actor.insurerNumber !== insurerNumber) throw new ShikakuError('FORBIDDEN', { scope: 'insurer' });
  if (actor.role === 'employer' && symbol !== undefined && actor.employerSymbol !== symbol) {
    throw new ShikakuError('FORBIDDEN', { scope: 'employer' });
  }
}

/** How an actor is named in the audit trail: a role and token id, never a person's name. */
export function actorLabel(actor: Actor): string {
  return `${actor.role}:${actor.tokenId}`;
}
