import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { CookieJar } from './cookie-jar.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The headers the SPA sends with every API call: the CSRF header, its cookies, and JSON when it has a body. */
export function spaHeaders(jar: CookieJar, hasBody: boolean): Record<string, string> {
  const cookie = jar.header();
  return {
    'x-csrf': '1',
    'user-agent': 'test-browser/1.0',
    ...(hasBody && { 'content-type': 'application/json' }),
    ...(cookie !== undefined && { cookie }),
  };
}

/**
 * One browser against one app through `inject`: it keeps cookies between requests and sends what
 * the SPA sends (JSON, `X-CSRF: 1`). Give two browsers the same jar to share cookies between apps.
 */
export class Browser {
  constructor(
    private readonly app: FastifyInstance,
    readonly jar: CookieJar = new CookieJar(),
  ) {}

  async send(method: Method, url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method,
      url,
      headers: spaHeaders(this.jar, payload !== undefined),
      ...(payload !== undefined && { payload: JSON.stringify(payload) }),
    });
    this.jar.store(response);
    return response;
  }

  login(loginId: string, password = 'password123'): Promise<LightMyRequestResponse> {
    return this.send('POST', '/api/login', { loginId, password });
  }
}
