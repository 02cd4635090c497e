/**
 * The small part of Apache FreeMarker (https://freemarker.apache.org/docs/) that FusionAuth email
 * templates are written in and the kickstart's templates use, rendered as FreeMarker renders it.
 * Written by hand: no npm library renders FreeMarker, and this subset is a few pages of code.
 *
 * The subset:
 * - `${user.firstName}`: a dotted path into the model; a missing value is an error, as in FreeMarker;
 * - `${user.firstName!}`, `${user.firstName!'there'}`: a default when the last step is missing;
 * - `${(application.data.origin)!'…'}`: a default when any step is missing;
 * - `${state.client_id?url}`: URL escaping (UTF-8, as `encodeURIComponent`: FreeMarker keeps the
 *   same characters), which FreeMarker refuses unless the template first says
 *   `[#setting url_escaping_charset="UTF-8"]`, as FusionAuth's default Forgot Password template does;
 * - `[#if state.client_id??]…[#else]…[/#if]` and `[#if (state.client_id)??]`: whether a value is
 *   there, the parentheses covering a missing step anywhere as with `!`;
 * - `[#list state as name, value]…[/#list]`: a hash's keys and values, in the order given;
 * - a first line `[#ftl output_format="HTML"]` (or `<#ftl output_format="HTML">`), which makes every
 *   interpolation HTML-escaped. FusionAuth sets no output format on email templates, so without it
 *   nothing is escaped (FusionAuth/fusionauth-issues#2715); the kickstart's HTML templates ask for it.
 *
 * Directives are read in the square-bracket syntax only. As in FreeMarker, a line that holds
 * nothing but directives loses its indentation and its line break. Only strings are interpolated
 * (FreeMarker formats numbers by locale and refuses booleans), and anything else FreeMarker would
 * interpret (other directives, macros, comments, `#{…}`, other built-ins, operators) is refused with
 * a TemplateError, so that a template which would render differently on FusionAuth fails here
 * rather than silently.
 */

export class TemplateError extends Error {
  override name = 'TemplateError';
}

interface Path {
  steps: string[];
  /** `(path)!…`, `(path)??`: a missing step anywhere counts; without parentheses only the last. */
  parenthesized: boolean;
}

interface Expression extends Path {
  /** The text after `!`; undefined when there is no `!`. */
  fallback: string | undefined;
  /** `?url`: URL-escaped after it is looked up. */
  urlEscaped: boolean;
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'value'; expression: Expression; source: string }
  | { kind: 'if'; test: Path; source: string; then: Node[]; otherwise: Node[] }
  | { kind: 'list'; hash: Path; source: string; keyName: string; valueName: string; body: Node[] };

export interface ParsedTemplate {
  escapeHtml: boolean;
  nodes: Node[];
}

const ftlHeader = /^\s*(?:\[#ftl\s+output_format\s*=\s*"HTML"\s*\]|<#ftl\s+output_format\s*=\s*"HTML"\s*>)\r?\n?/;
const identifier = '[A-Za-z_][A-Za-z0-9_]*';
const identifierPath = new RegExp(`^${identifier}(?:\\.${identifier})*$`);
/** FreeMarker syntax outside the subset: angle-bracket directives, macros in either syntax, and `#{…}`. */
const unsupportedSyntax = /<\/?[#@]|\[\/?@|#\{/;
/** Where an interpolation or a square-bracket directive starts. */
const markup = /\$\{|\[\/?#/g;
/** A line of directives only, which FreeMarker's white-space stripping reduces to the directives. */
const directivesOnlyLine = /^[ \t]*((?:\[\/?#[^\]\r\n]*\])+)[ \t]*(?:\r?\n)?$/;

const directives = {
  if: /^#if\s+(.+?)\s*$/,
  else: /^#else\s*$/,
  endIf: /^\/#if\s*$/,
  list: new RegExp(`^#list\\s+(\\S+)\\s+as\\s+(${identifier})\\s*,\\s*(${identifier})\\s*$`),
  endList: /^\/#list\s*$/,
  urlCharset: /^#setting\s+url_escaping_charset\s*=\s*(["'])utf-8\1\s*$/i,
};

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

/** `a.b.c` or `(a.b.c)`, or undefined when the text is neither. */
function readPath(text: string): Path | undefined {
  const trimmed = text.trim();
  const parenthesized = trimmed.startsWith('(') && trimmed.endsWith(')');
  const path = parenthesized ? trimmed.slice(1, -1).trim() : trimmed;
  return identifierPath.test(path) ? { steps: path.split('.'), parenthesized } : undefined;
}

function parseExpression(source: string, urlCharsetSet: boolean): Expression {
  let trimmed = source.trim();
  const urlEscaped = trimmed.endsWith('?url');
  if (urlEscaped) trimmed = trimmed.slice(0, -'?url'.length);
  const bang = trimmed.indexOf('!');
  const operand = bang === -1 ? trimmed : trimmed.slice(0, bang);
  const after = bang === -1 ? undefined : trimmed.slice(bang + 1).trim();
  const path = readPath(operand);
  if (!path || (urlEscaped && after !== undefined)) {
    throw new TemplateError(
      `\${${source}}: only a dotted path, with an optional ! default or ?url after it, is supported`,
    );
  }
  if (path.parenthesized && after === undefined) {
    throw new TemplateError(`\${${source}}: parentheses are only supported before a ! default`);
  }
  if (urlEscaped && !urlCharsetSet) {
    // FreeMarker needs to know the charset of ?url; FusionAuth's own templates set it first.
    throw new TemplateError(`\${${source}}: ?url needs [#setting url_escaping_charset="UTF-8"] before it`);
  }
  return {
    ...path,
    fallback: after === undefined ? undefined : after === '' ? '' : readLiteral(after, source),
    urlEscaped,
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

/** FreeMarker's white-space stripping: a line of directives only keeps the directives alone. */
function stripDirectiveLines(body: string): string {
  return body
    .split(/(?<=\n)/)
    .map((line) => directivesOnlyLine.exec(line)?.[1] ?? line)
    .join('');
}

/** What is open while parsing: the template itself, an `#if` (before or after its `#else`), a `#list`. */
type Frame =
  | { kind: 'root'; nodes: Node[] }
  | { kind: 'if'; node: Extract<Node, { kind: 'if' }>; inElse: boolean }
  | { kind: 'list'; node: Extract<Node, { kind: 'list' }> };

function nodesOf(frame: Frame): Node[] {
  if (frame.kind === 'root') return frame.nodes;
  if (frame.kind === 'list') return frame.node.body;
  return frame.inElse ? frame.node.otherwise : frame.node.then;
}

/** Parses a template, or throws a TemplateError naming what lies outside the subset. */
export function parseTemplate(template: string): ParsedTemplate {
  const header = ftlHeader.exec(template);
  // After `<#ftl …>` FreeMarker reads `[#…]` as text, which this renderer would not: refuse it.
  const squareSyntax = !header?.[0].trimStart().startsWith('<');
  const body = stripDirectiveLines(header ? template.slice(header[0].length) : template);
  const root: Frame = { kind: 'root', nodes: [] };
  const stack: Frame[] = [root];
  const current = () => stack[stack.length - 1] ?? root;
  let urlCharsetSet = false;
  let position = 0;

  const directive = (tag: string) => {
    const frame = current();
    const content = tag.slice(1, -1);
    let match: RegExpExecArray | null;
    if (!squareSyntax) {
      throw new TemplateError(`"${tag}": this template uses the <#…> syntax, which reads it as text`);
    } else if ((match = directives.if.exec(content))) {
      const test = match[1]?.endsWith('??') ? readPath(match[1].slice(0, -2)) : undefined;
      if (!test) throw new TemplateError(`"${tag}": only a test that a value is there (??) is supported`);
      const node = { kind: 'if' as const, test, source: tag, then: [], otherwise: [] };
      nodesOf(frame).push(node);
      stack.push({ kind: 'if', node, inElse: false });
    } else if (directives.else.test(content)) {
      if (frame.kind !== 'if' || frame.inElse) throw new TemplateError(`"${tag}" outside an [#if]`);
      frame.inElse = true;
    } else if (directives.endIf.test(content)) {
      if (frame.kind !== 'if') throw new TemplateError(`"${tag}" closes no [#if]`);
      stack.pop();
    } else if ((match = directives.list.exec(content))) {
      const hash = readPath(match[1] ?? '');
      if (!hash || hash.parenthesized) throw new TemplateError(`"${tag}": only a dotted path can be listed`);
      const node = {
        kind: 'list' as const,
        hash,
        source: tag,
        keyName: match[2] ?? '',
        valueName: match[3] ?? '',
        body: [],
      };
      nodesOf(frame).push(node);
      stack.push({ kind: 'list', node });
    } else if (directives.endList.test(content)) {
      if (frame.kind !== 'list') throw new TemplateError(`"${tag}" closes no [#list]`);
      stack.pop();
    } else if (directives.urlCharset.test(content)) {
      if (frame.kind !== 'root') throw new TemplateError(`"${tag}" is supported outside [#if] and [#list] only`);
      urlCharsetSet = true;
    } else {
      throw new TemplateError(`"${tag.slice(0, 24)}" is FreeMarker this renderer does not support`);
    }
  };

  for (;;) {
    markup.lastIndex = position;
    const found = markup.exec(body);
    if (!found) break;
    const open = found.index;
    if (open > position) nodesOf(current()).push({ kind: 'text', text: checkText(body.slice(position, open)) });
    if (found[0] === '${') {
      const close = closingBrace(body, open + 2);
      const source = body.slice(open + 2, close);
      nodesOf(current()).push({ kind: 'value', expression: parseExpression(source, urlCharsetSet), source });
      position = close + 1;
    } else {
      const close = body.indexOf(']', open);
      if (close === -1) throw new TemplateError(`"${body.slice(open, open + 12)}…" is never closed`);
      directive(body.slice(open, close + 1));
      position = close + 1;
    }
  }
  if (position < body.length) nodesOf(current()).push({ kind: 'text', text: checkText(body.slice(position)) });
  const unclosed = current();
  if (unclosed.kind !== 'root') throw new TemplateError(`"${unclosed.node.source}" is never closed`);
  return { escapeHtml: header !== null, nodes: root.nodes };
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

/**
 * The value a path names, or `missing` when a step the path may miss is missing (the last one, or
 * any under parentheses); a step it may not miss is FreeMarker's error.
 */
function lookUp(path: Path, model: Record<string, unknown>, source: string): unknown {
  let value: unknown = model;
  for (const [index, name] of path.steps.entries()) {
    value = step(value, name);
    if (value === undefined || value === null) {
      if (path.parenthesized || index === path.steps.length - 1) return undefined;
      throw new TemplateError(`${source}: ${path.steps.slice(0, index + 1).join('.')} is missing`);
    }
  }
  return value;
}

function evaluate(expression: Expression, model: Record<string, unknown>, source: string): string {
  const value = lookUp(expression, model, `\${${source}}`);
  if (value === undefined) {
    if (expression.fallback !== undefined) return expression.fallback;
    throw new TemplateError(`\${${source}}: ${expression.steps.join('.')} is missing`);
  }
  if (typeof value !== 'string') {
    throw new TemplateError(`\${${source}}: only strings are interpolated by this renderer, not ${typeof value}`);
  }
  if (!expression.urlEscaped) return value;
  try {
    return encodeURIComponent(value);
  } catch {
    throw new TemplateError(`\${${source}}: the value is not well-formed text`);
  }
}

function renderNodes(nodes: readonly Node[], model: Record<string, unknown>, escape: boolean): string {
  let output = '';
  for (const node of nodes) {
    if (node.kind === 'text') {
      output += node.text;
    } else if (node.kind === 'value') {
      const value = evaluate(node.expression, model, node.source);
      output += escape ? escapeHtml(value) : value;
    } else if (node.kind === 'if') {
      const present = lookUp(node.test, model, node.source) !== undefined;
      output += renderNodes(present ? node.then : node.otherwise, model, escape);
    } else {
      const hash = lookUp(node.hash, model, node.source);
      if (hash === undefined) throw new TemplateError(`${node.source}: ${node.hash.steps.join('.')} is missing`);
      if (typeof hash !== 'object' || hash === null || Array.isArray(hash)) {
        throw new TemplateError(`${node.source}: only a hash can be listed by key and value`);
      }
      for (const [key, value] of Object.entries(hash as Record<string, unknown>)) {
        output += renderNodes(node.body, { ...model, [node.keyName]: key, [node.valueName]: value }, escape);
      }
    }
  }
  return output;
}

/** Renders a parsed template against a model (the user, tenant, application and the template's own values). */
export function renderParsed(parsed: ParsedTemplate, model: Record<string, unknown>): string {
  return renderNodes(parsed.nodes, model, parsed.escapeHtml);
}

export function renderTemplate(template: string, model: Record<string, unknown>): string {
  return renderParsed(parseTemplate(template), model);
}
