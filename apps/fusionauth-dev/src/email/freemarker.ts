/**
 * The small part of Apache FreeMarker (https://freemarker.apache.org/docs/) that FusionAuth email
 * templates are written in and the kickstart's templates use, rendered as FreeMarker renders it.
 * Written by hand: no npm library renders FreeMarker, and this subset is a page of code.
 *
 * The subset:
 * - `${user.firstName}`: a dotted path into the model; a missing value is an error, as in FreeMarker;
 * - `${user.firstName!}`, `${user.firstName!'there'}`: a default when the last step is missing;
 * - `${(application.data.origin)!'…'}`: a default when any step is missing;
 * - a first line `[#ftl output_format="HTML"]` (or `<#ftl output_format="HTML">`), which makes every
 *   interpolation HTML-escaped. FusionAuth sets no output format on email templates, so without it
 *   nothing is escaped (FusionAuth/fusionauth-issues#2715); the kickstart's HTML templates ask for it.
 *
 * Only strings are interpolated (FreeMarker formats numbers by locale and refuses booleans), and
 * anything else FreeMarker would interpret (directives, macros, `#{…}`, built-ins, operators) is
 * refused with a TemplateError, so that a template which would render differently on FusionAuth
 * fails here rather than silently.
 */

export class TemplateError extends Error {
  override name = 'TemplateError';
}

type Part = { kind: 'text'; text: string } | { kind: 'value'; expression: Expression; source: string };

interface Expression {
  path: string[];
  /** `(path)!…`: the default covers a missing step anywhere; without parentheses only the last. */
  parenthesized: boolean;
  /** The text after `!`; undefined when there is no `!`. */
  fallback: string | undefined;
}

export interface ParsedTemplate {
  escapeHtml: boolean;
  parts: Part[];
}

const ftlHeader = /^\s*(?:\[#ftl\s+output_format\s*=\s*"HTML"\s*\]|<#ftl\s+output_format\s*=\s*"HTML"\s*>)\r?\n?/;
const identifierPath = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** FreeMarker syntax outside the subset: directives and macros in either tag syntax, and `#{…}`. */
const unsupportedSyntax = /[[<]\/?[#@]|#\{/;

/** A FreeMarker string literal's escapes that a default text may use. */
const literalEscapes: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t' };

function readLiteral(text: string, source: string): string {
  const quote = text[0];
  if ((quote !== "'" && quote !== '"') || text.length < 2 || text[text.length - 1] !== quote) {
    throw new TemplateError(`\${${source}}: a default must be a quoted string`);
  }
  let value = '';
  for (let index = 1; index < text.length - 1; index += 1) {
    const character = text[index] ?? '';
    if (character === quote) throw new TemplateError(`\${${source}}: a default must be one quoted string`);
    if (character !== '\\') {
      value += character;
      continue;
    }
    const escaped = literalEscapes[text[index + 1] ?? ''];
    if (escaped === undefined) throw new TemplateError(`\${${source}}: an escape this renderer does not know`);
    value += escaped;
    index += 1;
  }
  return value;
}

function parseExpression(source: string): Expression {
  const trimmed = source.trim();
  const bang = trimmed.indexOf('!');
  const operand = (bang === -1 ? trimmed : trimmed.slice(0, bang)).trim();
  const after = bang === -1 ? undefined : trimmed.slice(bang + 1).trim();
  const parenthesized = operand.startsWith('(') && operand.endsWith(')');
  const path = parenthesized ? operand.slice(1, -1).trim() : operand;
  if (!identifierPath.test(path)) {
    throw new TemplateError(`\${${source}}: only a dotted path, with an optional ! default, is supported`);
  }
  if (parenthesized && after === undefined) {
    throw new TemplateError(`\${${source}}: parentheses are only supported before a ! default`);
  }
  return {
    path: path.split('.'),
    parenthesized,
    fallback: after === undefined ? undefined : after === '' ? '' : readLiteral(after, source),
  };
}

/** The index of the `}` that closes the interpolation opened at `start`, skipping quoted text. */
function closingBrace(template: string, start: number): number {
  let quote: string | undefined;
  for (let index = start; index < template.length; index += 1) {
    const character = template[index];
    if (quote) {
      if (character === '\\') index += 1;
      else if (character === quote) quote = undefined;
    } else if (character === "'" || character === '"') {
      quote = character;
    } else if (character === '}') {
      return index;
    }
  }
  throw new TemplateError('an interpolation ${… is never closed');
}

function checkText(text: string): string {
  const unsupported = unsupportedSyntax.exec(text);
  if (unsupported) {
    throw new TemplateError(
      `"${text.slice(unsupported.index, unsupported.index + 12)}…" is FreeMarker this renderer does not support`,
    );
  }
  return text;
}

/** Parses a template, or throws a TemplateError naming what lies outside the subset. */
export function parseTemplate(template: string): ParsedTemplate {
  const header = ftlHeader.exec(template);
  const body = header ? template.slice(header[0].length) : template;
  const parts: Part[] = [];
  let position = 0;
  for (;;) {
    const open = body.indexOf('${', position);
    if (open === -1) break;
    if (open > position) parts.push({ kind: 'text', text: checkText(body.slice(position, open)) });
    const close = closingBrace(body, open + 2);
    const source = body.slice(open + 2, close);
    parts.push({ kind: 'value', expression: parseExpression(source), source });
    position = close + 1;
  }
  if (position < body.length) parts.push({ kind: 'text', text: checkText(body.slice(position)) });
  return { escapeHtml: header !== null, parts };
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** FreeMarker's HTML output format escapes these five. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);
}

/** One step of a path: own properties only, so a template cannot reach `constructor` or `__proto__`. */
function step(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, name)) return undefined;
  return (value as Record<string, unknown>)[name];
}

function evaluate(expression: Expression, model: Record<string, unknown>, source: string): string {
  let value: unknown = model;
  for (const [index, name] of expression.path.entries()) {
    value = step(value, name);
    if (value === undefined || value === null) {
      const last = index === expression.path.length - 1;
      if (expression.fallback !== undefined && (expression.parenthesized || last)) return expression.fallback;
      throw new TemplateError(`\${${source}}: ${expression.path.slice(0, index + 1).join('.')} is missing`);
    }
  }
  if (typeof value !== 'string') {
    throw new TemplateError(`\${${source}}: only strings are interpolated by this renderer, not ${typeof value}`);
  }
  return value;
}

/** Renders a parsed template against a model (the user, tenant, application and the template's own values). */
export function renderParsed(parsed: ParsedTemplate, model: Record<string, unknown>): string {
  return parsed.parts
    .map((part) => {
      if (part.kind === 'text') return part.text;
      const value = evaluate(part.expression, model, part.source);
      return parsed.escapeHtml ? escapeHtml(value) : value;
    })
    .join('');
}

export function renderTemplate(template: string, model: Record<string, unknown>): string {
  return renderParsed(parseTemplate(template), model);
}
