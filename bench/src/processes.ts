import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Server {
  url: string;
  rss(): Promise<number>;
  /** The CPU time (user + system) the server's process has used so far, in microseconds. */
  cpuMicros(): Promise<number>;
  stop(): void;
}

/** Starts one of ./servers/*.js in a process of its own, so load generator and server never share a thread. */
export async function startServer(name: string, env: Record<string, string>): Promise<Server> {
  const file = fileURLToPath(new URL(`./servers/${name}.js`, import.meta.url));
  const child: ChildProcess = fork(file, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { type?: string; url?: string }) => {
      if (message.type === 'listening' && message.url) resolve(message.url);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  /** One figure from the child: the answer of the same type as the question. */
  const ask = <Answer>(type: string) =>
    new Promise<Answer>((resolve) => {
      const listener = (message: Answer & { type?: string }) => {
        if (message.type !== type) return;
        child.off('message', listener);
        resolve(message);
      };
      child.on('message', listener);
      child.send({ type });
    });
  return {
    url,
    rss: async () => (await ask<{ rss?: number }>('memory')).rss ?? 0,
    cpuMicros: async () => (await ask<{ micros?: number }>('cpu')).micros ?? Number.NaN,
    stop: () => child.kill('SIGTERM'),
  };
}
