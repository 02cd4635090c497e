import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { CookieJar } from './cookie-jar.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

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
    const cookie = this.jar.header();
    const response = await this.app.inject({
      method,
      url,
      headers: {
        'x-csrf': '1',
        'user-agent': 'test-browser/1.0',
        ...(payload !== undefined && { 'content-type': 'application/json' }),
        ...(cookie !== undefined && { cookie }),
      },
      ...(payload !== undefined && { payload: JSON.stringify(payload) }),
    });
    this.jar.store(response);
    return response;
  }

  login(loginId: string, password = 'password123'): Promise<LightMyRequestResponse> {
    return this.send('POST', '/api/login', { loginId, password });
  }
}
