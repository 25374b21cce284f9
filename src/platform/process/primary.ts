import cluster from 'node:cluster';
import { AggregatorRegistry, register, type MetricObjectWithValues, type MetricValue } from 'prom-client';

/**
 * What one server process learns of the whole server, for /ready and /metrics: in a cluster
 * from the primary, which alone sees every worker, over the IPC channel the lead's messages use
 * (lead.ts); from itself when it serves alone.
 */
export interface ServerProcesses {
  /** Server processes configured (WORKERS) and listening now. */
  workers(): Promise<WorkerCount>;
  /**
   * The process-wide metrics (prom-client's global registry) of every listening worker, in
   * Prometheus's text format, and how many processes they came from. In a cluster each worker
   * labels its own with `worker`, its number: summing in the primary would make a worker's
   * restart look like a fall of the whole server's counters, which rate() reads as a reset.
   */
  metrics(): Promise<{ text: string; processes: number }>;
}

export interface WorkerCount {
  configured: number;
  listening: number;
}

/** A single process: the whole server is itself. */
export function soleServer(): ServerProcesses {
  return {
    workers: async () => ({ configured: 1, listening: 1 }),
    metrics: async () => ({ text: await register.metrics(), processes: 1 }),
  };
}

/** How long the primary waits for a worker's metrics; one that is stuck leaves the scrape without its own. */
const GATHER_TIMEOUT_MS = 2_000;
/** How long a worker waits for the primary, which answers from memory or within the gathering's timeout. */
const ASK_TIMEOUT_MS = GATHER_TIMEOUT_MS + 3_000;

type Topic = 'workers' | 'metrics';
type Metrics = MetricObjectWithValues<MetricValue<string>>[];

/** A worker's question to the primary, and its answer. */
interface Ask {
  deuterium: 'primary-ask';
  id: number;
  topic: Topic;
}
interface Answer {
  deuterium: 'primary-answer';
  id: number;
  body: unknown;
}
/** The primary asking a worker for its metrics while gathering, and the worker's reply. */
interface Gather {
  deuterium: 'metrics-gather';
  id: number;
}
interface Gathered {
  deuterium: 'metrics-gathered';
  id: number;
  metrics: Metrics;
}

function isMessage<T extends { deuterium: string }>(message: unknown, kind: T['deuterium']): message is T {
  return typeof message === 'object' && message !== null && (message as { deuterium?: unknown }).deuterium === kind;
}

/** In a cluster worker numbered `number`: asks the primary, and gives it this worker's metrics when it gathers. */
export function clusterWorker(number: number): ServerProcesses {
  register.setDefaultLabels({ worker: String(number) });
  const waiting = new Map<number, (body: unknown) => void>();
  let lastId = 0;
  process.on('message', (message: unknown) => {
    if (isMessage<Answer>(message, 'primary-answer')) {
      waiting.get(message.id)?.(message.body);
      waiting.delete(message.id);
    } else if (isMessage<Gather>(message, 'metrics-gather')) {
      void register.getMetricsAsJSON().then((metrics) => process.send!({ deuterium: 'metrics-gathered', id: message.id, metrics } satisfies Gathered));
    }
  });
  function ask<T>(topic: Topic): Promise<T> {
    const id = ++lastId;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`the primary process did not answer about ${topic}`));
      }, ASK_TIMEOUT_MS);
      waiting.set(id, (body) => {
        clearTimeout(timer);
        resolve(body as T);
      });
      process.send!({ deuterium: 'primary-ask', id, topic } satisfies Ask);
    });
  }
  return { workers: () => ask('workers'), metrics: () => ask('metrics') };
}

/** Ignores a channel closed by a worker dying between the check and the send. */
const ignoreClosedChannel = () => undefined;

/**
 * In the primary: answers the workers' questions. It tracks which workers listen from the
 * cluster's own events, so it needs nothing from the supervisor (cluster.ts).
 */
export function answerWorkers(configured: number): void {
  const listening = new Set<number>();
  const gatherings = new Map<number, { expected: number; received: Metrics[]; done: () => void }>();
  let lastGathering = 0;

  cluster.on('listening', (worker) => listening.add(worker.id));
  cluster.on('exit', (worker) => listening.delete(worker.id));
  cluster.on('message', (worker, message: unknown) => {
    if (isMessage<Ask>(message, 'primary-ask')) {
      const body = message.topic === 'workers' ? Promise.resolve({ configured, listening: listening.size }) : gather();
      void body.then((answer) => {
        if (worker.isConnected()) worker.send({ deuterium: 'primary-answer', id: message.id, body: answer } satisfies Answer, ignoreClosedChannel);
      });
    } else if (isMessage<Gathered>(message, 'metrics-gathered')) {
      const gathering = gatherings.get(message.id);
      gathering?.received.push(message.metrics);
      if (gathering && gathering.received.length === gathering.expected) gathering.done();
    }
  });

  async function gather(): Promise<{ text: string; processes: number }> {
    const id = ++lastGathering;
    const workers = [...listening].map((workerId) => cluster.workers?.[workerId]).filter((worker) => worker?.isConnected());
    const received: Metrics[] = [];
    await new Promise<void>((resolve) => {
      if (workers.length === 0) return resolve();
      const timer = setTimeout(resolve, GATHER_TIMEOUT_MS);
      gatherings.set(id, {
        expected: workers.length,
        received,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      for (const worker of workers) worker!.send({ deuterium: 'metrics-gather', id } satisfies Gather, ignoreClosedChannel);
    });
    gatherings.delete(id);
    return { text: await AggregatorRegistry.aggregate(received).metrics(), processes: received.length };
  }
}
