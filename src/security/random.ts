import { randomBytes } from 'node:crypto';

/**
 * Bytes from the CSPRNG, drawn from a pool refilled 4 KiB at a time: `randomBytes(12)` costs a call
 * into OpenSSL each time (about 5 µs on the bench machine, an AES-GCM IV per My Number encrypted),
 * a slice of the pool about 40 ns. Each call gets bytes no other call got: a spent pool is dropped,
 * never refilled in place.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_BYTES) return randomBytes(size);
  if (offset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  offset += size;
  return bytes;
}
