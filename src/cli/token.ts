import { type Command, Option } from 'commander';
import { createToken } from '../services/tokens.js';
import { openRuntime } from './runtime.js';

export function registerToken(program: Command): void {
  const token = program.command('token').description('bearer tokens / アクセストークン');
  token
    .command('create')
    .description('mint a bearer token; the token is printed as the last line')
    .addOption(
      new Option('--role <role>', 'role').choices(['operator', 'admin', 'employer', 'provider', 'member']).makeOptionMandatory(),
    )
    .option('--insurer <insurerNumber>', '保険者番号 (admin, employer)')
    .option('--employer <symbol>', '事業所記号 (employer)')
    .option('--provider <code>', '医療機関コード (provider)')
    .option('--member <id>', 'member id (member)')
    .option('--label <text>', 'a note for the operator')
    .option('--expires-at <iso>', 'expiry instant (ISO 8601)')
    .option('--db <path|url>', 'SQLite file or postgres:// URL')
    .action(async (opts) => {
      const ctx = await openRuntime(opts);
      try {
        const { id, token: value } = await createToken(ctx, {
          role: opts.role,
          insurerNumber: opts.insurer,
          employerSymbol: opts.employer,
          providerCode: opts.provider,
          memberId: opts.member,
          label: opts.label,
          expiresAt: opts.expiresAt,
        });
        console.error(`token ${id} (${opts.role})`);
        console.log(value);
      } finally {
        await ctx.store.close();
      }
    });
}
