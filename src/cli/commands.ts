import type { Command } from 'commander';
import { registerAudit } from './audit.js';
import { registerBackup } from './backup.js';
import { registerCertificates, registerPrint } from './certificates.js';
import { registerImport } from './import.js';
import { registerKeys } from './keys.js';
import { registerOqs } from './oqs.js';
import { registerServe } from './serve.js';
import { registerToken } from './token.js';

/** Every CLI command; each module adds its subcommand to the program. */
export const COMMANDS: Array<(program: Command) => void> = [
  registerServe,
  registerToken,
  registerImport,
  registerAudit,
  registerKeys,
  registerBackup,
  registerCertificates,
  registerPrint,
  registerOqs,
];
