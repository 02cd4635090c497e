import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Server {
  url: string;
  rss(): Promise<number>;
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
  return {
    url,
    rss: () =>
      new Promise((resolve) => {
        child.once('message', (message: { rss?: number }) => resolve(message.rss ?? 0));
        child.send({ type: 'memory' });
      }),
    stop: () => child.kill('SIGTERM'),
  };
}
