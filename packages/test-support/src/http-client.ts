import { request, type IncomingHttpHeaders } from 'node:http';
import { spaHeaders } from './browser.js';
import { CookieJar } from './cookie-jar.js';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One request on a connection of its own, closed after the answer: as a new client reaches a
 * server through a load balancer. Rejects with the socket's error (ECONNRESET, ECONNREFUSED).
 */
export function requestOnce(url: string, options: HttpRequestOptions = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      { method: options.method ?? 'GET', headers: { connection: 'close', ...options.headers }, agent: false },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        response.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end(options.body);
  });
}

/**
 * A browser over real HTTP, for apps that listen (behind a proxy, say), sending what the SPA
 * sends, like Browser does through `inject`; every request on a new connection.
 */
export class HttpBrowser {
  constructor(
    private readonly baseUrl: string,
    readonly jar: CookieJar = new CookieJar(),
  ) {}

  async send(method: string, path: string, payload?: unknown): Promise<HttpAnswer & { json: unknown }> {
    const answer = await requestOnce(`${this.baseUrl}${path}`, {
      method,
      headers: spaHeaders(this.jar, payload !== undefined),
      ...(payload !== undefined && { body: JSON.stringify(payload) }),
    });
    this.jar.store(answer);
    let json: unknown;
    try {
      json = JSON.parse(answer.body);
    } catch {
      json = undefined;
    }
    return { ...answer, json };
  }

  login(loginId: string, password = 'password123') {
    return this.send('POST', '/api/login', { loginId, password });
  }
}
