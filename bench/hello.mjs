// The baseline of the HTTP bench: a plain Fastify hello-world (no logger, no plugins), on the port
// given as the first argument. Measured with the same wrk settings as the verification route.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.argv[2] ?? 8079), host: '127.0.0.1' });
console.log('ready');
