#!/usr/bin/env node
// `node bin/run-ts.js FILE.ts args…`: runs one TypeScript entry point (bench, scripts).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const [file, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], resolve(file), ...rest];
await import(pathToFileURL(resolve(file)).href);
