// A load generator thread for test/scale/throughput.test.ts: plain JavaScript so that a worker runs
// it without the test's transform. It sends `requests` POSTs, `concurrency` in flight, spread over
// `urls` in turn, and posts back how many were not 200.
import { parentPort, workerData } from 'node:worker_threads';

const { urls, token, bodies, requests, concurrency } = workerData;
let next = 0;
let failed = 0;
async function loop(w) {
  for (let i = next++; i < requests; i = next++) {
    const response = await fetch(urls[w % urls.length], {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: bodies[i % bodies.length],
    });
    await response.arrayBuffer();
    if (response.status !== 200) failed++;
  }
}
await Promise.all(Array.from({ length: concurrency }, (_, w) => loop(w)));
parentPort.postMessage({ failed });
