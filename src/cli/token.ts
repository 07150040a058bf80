import { type Command, Option } from 'commander';
import { ShikakuError } from '../domain/codes.js';
import type { Role } from '../services/actor.js';
import { createToken, DEFAULT_TOKEN_LIFETIME, listTokens, parseLifetime, revokeToken } from '../services/tokens.js';
import { openRuntime } from './runtime.js';

/** The expiry instant of a new token: --expires-at, else --expires-in, else the role's default. */
export function expiryFor(
  role: Role,
  opts: { expiresAt?: string | undefined; expiresIn?: string | undefined },
  now: Date,
): string | undefined {
  if (opts.expiresAt !== undefined && opts.expiresIn !== undefined) {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { field: 'expiresIn' },
      { ja: '--expires-at と --expires-in は一方のみ', en: 'give --expires-at or --expires-in, not both' },
    );
  }
  if (opts.expiresAt !== undefined) {
    const at = new Date(opts.expiresAt);
    if (Number.isNaN(at.getTime())) throw new ShikakuError('VALIDATION_DATE', { option: '--expires-at' });
    return at.toISOString();
  }
  const lifetime = opts.expiresIn ?? DEFAULT_TOKEN_LIFETIME[role];
  if (lifetime === null) return undefined;
  const ms = parseLifetime(lifetime);
  return ms === null ? undefined : new Date(now.getTime() + ms).toISOString();
}

export function registerToken(program: Command): void {
  const token = program.command('token').description('bearer tokens / アクセストークン');
  token
    .command('create')
    .description('mint a bearer token; the token is printed as the last line')
    .addOption(
      new Option('--role <role>', 'role')
        .choices(['operator', 'admin', 'employer', 'provider', 'member'])
        .makeOptionMandatory(),
    )
    .option('--insurer <insurerNumber>', '保険者番号 (admin, employer)')
    .option('--employer <symbol>', '事業所記号 (employer)')
    .option('--provider <code>', '医療機関コード (provider)')
    .option('--member <id>', 'member id (member)')
    .option('--label <text>', 'a note for the operator')
    .option(
      '--expires-in <duration>',
      'lifetime: 90m, 8h, 30d or never (default: member 24h, provider 90d, other roles never)',
    )
    .option('--expires-at <iso>', 'expiry instant (ISO 8601)')
    .option('--db <path|url>', 'SQLite file or postgres:// URL')
    .action(async (opts) => {
      const expiresAt = expiryFor(opts.role, opts, new Date());
      const ctx = await openRuntime(opts);
      try {
        const { id, token: value } = await createToken(ctx, {
          role: opts.role,
          insurerNumber: opts.insurer,
          employerSymbol: opts.employer,
          providerCode: opts.provider,
          memberId: opts.member,
          label: opts.label,
          expiresAt,
        });
        console.error(`token ${id} (${opts.role}) expires ${expiresAt ?? 'never'}`);
        console.log(value);
      } finally {
        await ctx.store.close();
      }
    });

  token
    .command('list')
    .description('tokens: id, role, scope, expiry (never the token itself) / トークン一覧')
    .option('--all', 'also revoked and expired tokens')
    .option('--json', 'JSON lines')
    .option('--db <path|url>', 'SQLite file or postgres:// URL')
    .action(async (opts: { all?: boolean; json?: boolean; db?: string }) => {
      const ctx = await openRuntime(opts);
      try {
        const tokens = await listTokens(ctx, { all: opts.all === true });
        for (const t of tokens) {
          if (opts.json) {
            console.log(JSON.stringify(t));
            continue;
          }
          const scope =
            [
              t.insurerNumber,
              t.employerSymbol && `employer ${t.employerSymbol}`,
              t.providerCode,
              t.memberId && `member ${t.memberId}`,
            ]
              .filter(Boolean)
              .join(' ') || '-';
          console.log(
            [t.id, t.role.padEnd(8), t.status.padEnd(7), `expires ${t.expiresAt ?? 'never'}`, scope, t.label ?? '']
              .join('  ')
              .trimEnd(),
          );
        }
        if (!opts.json) console.error(`${tokens.length} token(s)`);
      } finally {
        await ctx.store.close();
      }
    });

  token
    .command('revoke')
    .description('revoke a token at once (its next request answers 401) / トークンの失効')
    .argument('<id>', 'token id (from `token create` or `token list`)')
    .option('--db <path|url>', 'SQLite file or postgres:// URL')
    .action(async (id: string, opts: { db?: string }) => {
      const ctx = await openRuntime(opts);
      try {
        if (await revokeToken(ctx, id)) {
          console.log(`失効しました / revoked ${id}`);
        } else {
          console.error(`not found or already revoked / 見つからないか失効済み: ${id}`);
          process.exitCode = 1;
        }
      } finally {
        await ctx.store.close();
      }
    });
}
