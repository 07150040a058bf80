import { Command } from 'commander';
import { ShikakuError } from '../domain/codes.js';
import { COMMANDS } from './commands.js';

const program = new Command()
  .name('shikaku')
  .description('Shikaku — 資格確認: health-insurance eligibility in the My Number card era')
  .showHelpAfterError();

for (const register of COMMANDS) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ShikakuError) {
    console.error(`error ${error.code}: ${error.ja} / ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
