import { openQueue, type QueueName } from './job-queue-adapters.ts';

/**
 * A worker process for the crash part of bench/job-queues.ts: it takes one job, says so on
 * standard output, and never finishes it; the bench then kills it outright.
 */
const [name, url] = process.argv.slice(2) as [QueueName, string];
const queue = await openQueue(name, url);
if (!queue) throw new Error(`${name} is not installed`);
await queue.work(async (n) => {
  process.stdout.write(`started ${n}\n`);
  await new Promise(() => {});
}, 1);
