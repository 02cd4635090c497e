/**
 * Tells the benchmark where this server listens, and answers its requests for figures about this
 * process: its memory, and the CPU time it has used so far (user and system, every thread of the
 * process, in microseconds), which the benchmark reads before and after each run.
 */
export function reportListening(url: string): void {
  process.send?.({ type: 'listening', url });
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'memory') process.send?.({ type: 'memory', rss: process.memoryUsage().rss });
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ type: 'cpu', micros: user + system });
    }
    if (message.type === 'stop') process.exit(0);
  });
}
