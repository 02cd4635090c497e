import { createServer, connect, type Server, type Socket } from 'node:net';

interface Target {
  host: string;
  port: number;
}

/**
 * A TCP proxy in front of a real service that a test can break: `cut()` drops every connection
 * and refuses new ones (the service is down), `stall()` accepts but forwards nothing (the service
 * hangs), `restore()` forwards again. The service itself is never touched. In front of several
 * instances of a service, it sends each new connection to the next one in turn (round robin, as a
 * load balancer does).
 */
export class TcpProxy {
  private mode: 'forward' | 'cut' | 'stall' = 'forward';
  /** Milliseconds each new connection waits before it is forwarded (a slow service). */
  private delayMs = 0;
  private readonly sockets = new Set<Socket>();
  /** Connections forwarded so far: the next goes to the target after the last one's. */
  private forwarded = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targets: Target | Target[]): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const proxy = new TcpProxy(server, typeof address === 'object' && address ? address.port : 0);
    // No connection is lost by listening first: the await above resumes before any socket event.
    const all = Array.isArray(targets) ? targets : [targets];
    server.on('connection', (client) => proxy.accept(client, all[proxy.forwarded++ % all.length] as Target));
    return proxy;
  }

  private accept(client: Socket, target: Target): void {
    if (this.mode === 'cut') {
      client.destroy();
      return;
    }
    this.track(client);
    if (this.mode === 'stall') return;
    if (this.delayMs > 0) {
      client.pause();
      setTimeout(() => this.forward(client, target), this.delayMs);
      return;
    }
    this.forward(client, target);
  }

  private forward(client: Socket, target: Target): void {
    if (client.destroyed) return;
    const upstream = connect(target.port, target.host);
    this.track(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private dropAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  cut(): void {
    this.mode = 'cut';
    this.dropAll();
  }

  stall(): void {
    this.mode = 'stall';
    this.dropAll();
  }

  restore(): void {
    this.mode = 'forward';
    this.delayMs = 0;
  }

  /** Forwards new connections only after `milliseconds`: the service answers, slowly. */
  slowDown(milliseconds: number): void {
    this.mode = 'forward';
    this.delayMs = milliseconds;
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
