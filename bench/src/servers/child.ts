/** Tells the benchmark where this server listens, and answers its requests for memory figures. */
export function reportListening(url: string): void {
  process.send?.({ type: 'listening', url });
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'memory') process.send?.({ type: 'memory', rss: process.memoryUsage().rss });
    if (message.type === 'stop') process.exit(0);
  });
}
