import { render } from 'velocityjs';

/**
 * A stand-in for API Gateway's VTL runtime (Velocity 1.7 on Java), enough to render the
 * templates of contract/api-gateway-templates.ts offline: the `$context`, `$input` and
 * `$util` variables they use, and Java's String methods where JavaScript's differ
 * (`length()`, `contains`, and `replaceAll`, whose first argument is a Java regex).
 */

/** `$util.escapeJavaScript`: Apache Commons Lang `StringEscapeUtils.escapeJavaScript`, as API Gateway uses it. */
export const escapeJavaScript = (text: string): string => {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const char = text.charAt(i);
    if (code > 0x7f) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (code < 0x20) {
      const named: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r' };
      out += named[code] ?? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else if (char === "'" || char === '"' || char === '\\' || char === '/') out += `\\${char}`;
    else out += char;
  }
  return out;
};

/** Java's `String.replaceAll(regex, replacement)`: `\x` in the replacement is a literal x. */
const javaReplaceAll = (text: string, regex: string, replacement: string): string =>
  text.replace(new RegExp(regex, 'g'), () => replacement.replace(/\\(.)/g, '$1'));

type MethodPayload = { property: string; context: unknown; params: unknown[] };

const stringMethod = (name: string, resolve: (text: string, params: unknown[]) => unknown) => ({
  uid: `java-string: ${name}`,
  match: ({ property, context }: MethodPayload) => property === name && typeof context === 'string',
  resolve: ({ context, params }: MethodPayload) => resolve(context as string, params),
});

const JAVA_STRING_METHODS = [
  stringMethod('length', (text) => text.length),
  stringMethod('contains', (text, [part]) => text.includes(String(part))),
  stringMethod('equals', (text, [other]) => text === other),
  stringMethod('replaceAll', (text, [regex, replacement]) => javaReplaceAll(text, String(regex), String(replacement))),
];

/** `$context.requestTime`: CLF format, UTC, as API Gateway prints it. */
export const clfTime = (epochMs: number): string => {
  const d = new Date(epochMs);
  const month = d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' }).slice(0, 3);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
};

/** The subset of JSONPath `$input.path` needs here: `$` and `$.field`. */
const jsonPath = (document: unknown, path: string): unknown => {
  if (path === '$') return document;
  const match = /^\$\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(path);
  if (!match) throw new Error(`Unsupported JSONPath in the emulator: ${path}`);
  return (document as Record<string, unknown> | null)?.[match[1] as string];
};

export interface RenderedAnswer {
  /** `$context.responseOverride.status`, when the template set it. */
  statusCode: number | undefined;
  /** `$context.responseOverride.header.*`. */
  headers: Record<string, string>;
  body: string;
}

export interface RequestContext {
  requestId: string;
  requestTimeEpoch: number;
  claims?: Record<string, string>;
}

const renderWith = (template: string, context: RequestContext, payload: string): RenderedAnswer => {
  const responseOverride: { status?: number; header: Record<string, string> } = { header: {} };
  const body = render(
    template,
    {
      context: {
        requestId: context.requestId,
        requestTime: clfTime(context.requestTimeEpoch),
        requestTimeEpoch: context.requestTimeEpoch,
        authorizer: { claims: context.claims ?? {} },
        responseOverride,
      },
      input: {
        body: payload,
        path: (path: string) => {
          try {
            return jsonPath(JSON.parse(payload), path);
          } catch {
            return undefined;
          }
        },
      },
      util: { escapeJavaScript, parseJson: (text: string) => JSON.parse(text) as unknown },
    },
    undefined,
    { customMethodHandlers: JAVA_STRING_METHODS, escape: false },
  );
  return { statusCode: responseOverride.status, headers: { ...responseOverride.header }, body: body.trim() };
};

/** A request mapping template applied to a request: the integration request body. */
export const renderRequestTemplate = (template: string, request: RequestContext & { body: string }): string =>
  renderWith(template, request, request.body).body;

/** A response mapping template applied to the integration's answer. */
export const renderResponseTemplate = (
  template: string,
  context: RequestContext,
  integrationBody: string,
): RenderedAnswer => renderWith(template, context, integrationBody);
