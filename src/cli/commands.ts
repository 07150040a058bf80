import type { Command } from 'commander';
import { registerImport } from './import.js';
import { registerServe } from './serve.js';
import { registerToken } from './token.js';

/** Every CLI command; each module adds its subcommand to the program. */
export const COMMANDS: Array<(program: Command) => void> = [registerServe, registerToken, registerImport];
