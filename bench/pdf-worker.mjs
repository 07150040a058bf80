// A worker thread of the PDF bench (bench/pdf.ts): loads the TypeScript through tsx, renders for the
// given time and posts its rate.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { renderFor } = await import('./pdf.ts');
parentPort.postMessage(await renderFor(workerData.mode, workerData.seconds, workerData.offset));
