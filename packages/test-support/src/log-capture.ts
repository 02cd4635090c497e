import { Writable } from 'node:stream';

/** A stream that keeps every pino line written to it, parsed, for a test to read. */
export class LogCapture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  private text = '';

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    const line = chunk.toString('utf8');
    this.text += line;
    for (const entry of line.split('\n'))
      if (entry.trim() !== '') this.lines.push(JSON.parse(entry) as Record<string, unknown>);
    done();
  }

  /** Everything written, as text. */
  get all(): string {
    return this.text;
  }
}
