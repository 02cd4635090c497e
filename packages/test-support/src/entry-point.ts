import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import type { Test } from 'tap';

export interface RunningEntryPoint {
  /** What the process printed until it was ready. */
  output: string;
  /** The first capture group of `ready` in that output (a URL, say). */
  captured: string;
  /** Sends SIGTERM and answers the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs a built entry point (`dist/...js`, as operators run it) until its output matches `ready`.
 * `npm test` builds every workspace first, so a missing file is a failure, not a skip.
 */
export async function runEntryPoint(
  t: Test,
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<RunningEntryPoint | undefined> {
  if (!existsSync(entry)) {
    t.fail(`${entry} is not built: run npm run build (npm test does)`);
    return undefined;
  }
  const child: ChildProcess = spawn(process.execPath, [entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  let output = '';
  // Read, not only piped: an unread pipe fills up and stalls the child, and an early exit should
  // say why (configuration errors go to stderr).
  let errors = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const captured = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const found = ready.exec(output);
      if (found) resolve(found[1] ?? found[0]);
    });
    child.once('exit', (code) => reject(new Error(`${entry} exited early with ${code}: ${output}${errors}`)));
  });
  return {
    output,
    captured,
    async stop() {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}
