/**
 * A readable page of the API, rendered from the OpenAPI document the gateway serves: no
 * client-side code, no CDN (the local stack works offline).
 */
import { escapeHtml } from '#local/html-escape';

interface SchemaLike {
  type?: string | string[];
  description?: string;
  examples?: unknown[];
  required?: string[];
  properties?: Record<string, SchemaLike>;
  oneOf?: SchemaLike[];
  anyOf?: SchemaLike[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
}

const typeOf = (schema: SchemaLike): string => {
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return variants.map(typeOf).join(' or ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
  return schema.format ? `${type} (${schema.format})` : type;
};

const fieldRows = (schema: SchemaLike): string =>
  Object.entries(schema.properties ?? {})
    .map(
      ([name, property]) => `<tr><td><code>${escapeHtml(name)}</code>${schema.required?.includes(name) ? ' *' : ''}</td>
<td>${escapeHtml(typeOf(property))}</td>
<td>${escapeHtml(property.description ?? '')}</td>
<td>${escapeHtml((property.examples ?? []).map((e) => JSON.stringify(e)).join(', '))}</td></tr>`,
    )
    .join('\n');

export const renderDocsPage = (document: Record<string, unknown>): string => {
  const info = document.info as { title: string; version: string; description: string };
  const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
  const schemas = (document.components as { schemas: Record<string, SchemaLike> }).schemas;
  const operations = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const responses = Object.entries(operation.responses as Record<string, { description: string }>)
        .map(
          ([status, response]) => `<li><strong>${escapeHtml(status)}</strong> ${escapeHtml(response.description)}</li>`,
        )
        .join('\n');
      return `<section>
<h2><code>${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</code></h2>
<p>${escapeHtml(String(operation.summary ?? ''))}. ${escapeHtml(String(operation.description ?? ''))}</p>
<h3>Responses</h3><ul>${responses}</ul>
</section>`;
    }),
  );
  const schemaSections = Object.entries(schemas)
    .map(
      ([name, schema]) => `<section><h3>${escapeHtml(name)}</h3><p>${escapeHtml(schema.description ?? '')}</p>
<table><thead><tr><th>field</th><th>type</th><th>rules</th><th>examples</th></tr></thead><tbody>${fieldRows(schema)}</tbody></table></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code{background:#f3f3f3;padding:0 .2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}</style>
</head><body>
<h1>${escapeHtml(info.title)} <small>v${escapeHtml(info.version)}</small></h1>
<p>${escapeHtml(info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Fields marked * are required; unknown fields are refused.</p>
${operations.join('\n')}
<h2>Schemas</h2>
${schemaSections}
</body></html>
`;
};
