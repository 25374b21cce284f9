import type { FastifyInstance } from 'fastify';

/**
 * The lead is the one server process that runs the background workers (webhook deliveries,
 * bulk jobs, Electron settlement, retention) and Hydro (whose embedded chain lives in memory,
 * and whose operator key counts its nonces in memory). A single process is its own lead; in a
 * cluster, worker 1 is (see cluster.ts), and the other workers reach it through the primary.
 */
export interface LeadLink {
  readonly isLead: boolean;
  /**
   * Delivers `body` to the lead's handler of `topic`, neither waiting for it nor hearing of a
   * failure: for nudges whose work the lead would get to later anyway.
   */
  tell(topic: string, body?: unknown): void;
  /** Delivers `body` to the lead's handler of `topic` and resolves with what it answers. */
  ask<T>(topic: string, body: unknown): Promise<T>;
  /** What this process does with `topic` when it is the lead; registering elsewhere is harmless. */
  handle(topic: string, handler: (body: unknown) => unknown): void;
}

/** Runs a background worker from the app's start to its close, in the lead only. */
export function runInLead(app: FastifyInstance, lead: LeadLink, worker: { start(): void; stop(): Promise<void> }): void {
  if (!lead.isLead) return;
  app.addHook('onReady', async () => worker.start());
  app.addHook('onClose', async () => worker.stop());
}

type Handlers = Map<string, (body: unknown) => unknown>;

async function handleHere(handlers: Handlers, topic: string, body: unknown): Promise<unknown> {
  const handler = handlers.get(topic);
  if (!handler) throw new Error(`the lead has no handler for "${topic}"`);
  return handler(body);
}

/** One process serving alone: everything the lead does happens here. */
export function soleProcess(): LeadLink {
  const handlers: Handlers = new Map();
  return {
    isLead: true,
    tell: (topic, body) => void handleHere(handlers, topic, body).catch(() => undefined),
    ask: (topic, body) => handleHere(handlers, topic, body) as Promise<never>,
    handle: (topic, handler) => void handlers.set(topic, handler),
  };
}

/** A message from a worker for the lead; the primary passes it on, adding `from`. */
export interface ToLead {
  deuterium: 'to-lead';
  topic: string;
  body: unknown;
  /** Present when an answer is awaited. */
  id?: number;
  /** The cluster id of the asking worker, set by the primary. */
  from?: number;
}

/** The lead's answer (or the primary's, when no lead can answer) to a ToLead with an id. */
export interface FromLead {
  deuterium: 'from-lead';
  id: number;
  /** The cluster id of the worker that asked, for the primary to route the answer. */
  to: number;
  body?: unknown;
  error?: string;
}

export function isClusterMessage(message: unknown, kind: 'to-lead' | 'from-lead'): boolean {
  return typeof message === 'object' && message !== null && (message as { deuterium?: unknown }).deuterium === kind;
}

/** The link of a cluster worker, over the IPC channel to the primary. */
export function workerLink(isLead: boolean): LeadLink {
  const handlers: Handlers = new Map();
  const waiting = new Map<number, { resolve: (body: unknown) => void; reject: (error: Error) => void }>();
  let lastId = 0;
  const send = (message: ToLead | FromLead) => process.send!(message);

  process.on('message', (message: unknown) => {
    if (isClusterMessage(message, 'to-lead')) {
      const { topic, body, id, from } = message as ToLead;
      const answered = handleHere(handlers, topic, body);
      if (id === undefined || from === undefined) return void answered.catch(() => undefined);
      answered.then(
        (answer) => send({ deuterium: 'from-lead', id, to: from, body: answer }),
        (error: unknown) => send({ deuterium: 'from-lead', id, to: from, error: error instanceof Error ? error.message : String(error) }),
      );
    } else if (isClusterMessage(message, 'from-lead')) {
      const { id, body, error } = message as FromLead;
      const waiter = waiting.get(id);
      waiting.delete(id);
      if (error === undefined) waiter?.resolve(body);
      else waiter?.reject(new Error(error));
    }
  });

  return {
    isLead,
    tell(topic, body) {
      if (isLead) void handleHere(handlers, topic, body).catch(() => undefined);
      else send({ deuterium: 'to-lead', topic, body });
    },
    ask<T>(topic: string, body: unknown): Promise<T> {
      if (isLead) return handleHere(handlers, topic, body) as Promise<T>;
      const id = ++lastId;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (body: unknown) => void, reject });
        send({ deuterium: 'to-lead', topic, body, id });
      });
    },
    handle: (topic, handler) => void handlers.set(topic, handler),
  };
}
