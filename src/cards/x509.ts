/**
 * @peculiar/x509, loaded after the Reflect shim it needs, with Node's WebCrypto as its provider.
 * Everything in src/cards that builds certificates imports it from here, never directly.
 */
import './reflect-shim.js';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

export { x509 };
