/**
 * 多进程 Several server processes on one port (WORKERS): the first process prepares the database
 * (migrations, reference data, the administrator, the demo city, tallies), then starts the workers;
 * each opens the database itself, serves on the shared port (Node's cluster hands connections out
 * in turn) and joins the instances like any other process, so periodic jobs stay once per period.
 * A worker that dies is replaced; one that dies again and again stops the whole server.
 * SIGTERM/SIGINT stop the workers gracefully (each finishes its requests in flight), then the first.
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';

export function workerCount(setting: string): number {
  return setting === 'auto' ? Math.min(availableParallelism(), 8) : Number(setting);
}

/** What a worker tells the first process once it listens. */
interface Listening {
  type: 'zhiben:listening';
  url: string;
}
const isListening = (m: unknown): m is Listening => typeof m === 'object' && m !== null && (m as Listening).type === 'zhiben:listening';

/** Tells the first process this worker serves on `url`. */
export function announceListening(url: string): void {
  process.send?.({ type: 'zhiben:listening', url } satisfies Listening);
}

let stopping = false;

/** Stops every worker gracefully (SIGTERM: each finishes its requests in flight) and starts no more. */
export async function stopWorkers(): Promise<void> {
  stopping = true;
  const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
  await Promise.all(
    alive.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once('exit', () => resolve());
          w.process.kill('SIGTERM');
        }),
    ),
  );
}

/** Runs the first process: starts `count` workers, answers the URL once all listen, keeps them running (replacing one that dies) until stopWorkers. */
export function runWorkers(count: number, log: (line: string) => void): Promise<string> {
  const deaths: number[] = [];
  let fail: ((err: Error) => void) | null = null;
  const fork = (): Worker => {
    const w = cluster.fork();
    w.on('exit', (code, signal) => {
      if (stopping) return;
      const now = Date.now();
      deaths.push(now);
      while (deaths.length && deaths[0] < now - 60_000) deaths.shift();
      // Five deaths in a minute: something is wrong that restarting will not mend.
      if (deaths.length >= 5) {
        log(`工作进程反复退出，服务停止。Server workers keep exiting (${deaths.length} in a minute, last: ${signal ?? `code ${code}`}); stopping.`);
        fail?.(new Error('workers keep exiting'));
        void stopWorkers().then(() => process.exit(1));
        return;
      }
      log(`工作进程 ${w.process.pid} 退出（${signal ?? `code ${code}`}），已重新启动。Worker ${w.process.pid} exited (${signal ?? `code ${code}`}); starting another.`);
      fork();
    });
    return w;
  };
  return new Promise((resolve, reject) => {
    fail = reject;
    const urls = new Set<number>();
    let url = '';
    const onMessage = (w: Worker, m: unknown) => {
      if (!isListening(m) || urls.has(w.id)) return;
      urls.add(w.id);
      url = m.url;
      if (urls.size === count) {
        fail = null;
        resolve(url);
      }
    };
    cluster.on('message', onMessage);
    for (let i = 0; i < count && !stopping; i++) fork();
  });
}
