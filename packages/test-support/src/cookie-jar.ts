/** Cookies as a browser keeps them between `inject` calls: set by Set-Cookie, dropped when expired. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Takes in a response's Set-Cookie headers. */
  store(response: { headers: Record<string, string | string[] | number | undefined> }): void {
    const header = response.headers['set-cookie'];
    const lines = header === undefined ? [] : Array.isArray(header) ? header : [String(header)];
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      const expired = attributes.some((attribute) => {
        const [key = '', setting = ''] = attribute.split('=');
        if (key.toLowerCase() === 'max-age') return Number(setting) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(setting) <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  /** The Cookie header a browser would send, or undefined with no cookies. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** The session id inside a signed session cookie value (`<id>.<signature>`). */
export function sessionIdOf(cookieValue: string): string {
  const decoded = decodeURIComponent(cookieValue);
  return decoded.slice(0, decoded.lastIndexOf('.'));
}
