import type { Route } from '#contract/routes';

/**
 * The local gateway's routing, from the route catalogue: a request path matched against the routes' paths as API
 * Gateway matches its resources (a `{name}` is exactly one non-empty segment; a literal segment beats a parameter).
 */
export interface RouteMatch {
  /** Every route of the matched path, by method. */
  byMethod: ReadonlyMap<string, Route>;
  pathParameters: Record<string, string>;
}

/** A malformed escape (`%E0%A4%A`) names no resource: a 404, not a failure of the gateway. */
const decodePathSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

interface PathTemplate {
  segments: ReadonlyArray<{ literal: string } | { parameter: string }>;
  routes: Map<string, Route>;
}

const parseTemplate = (path: string): PathTemplate['segments'] =>
  path
    .split('/')
    .slice(1)
    .map((segment) => {
      const parameter = /^\{([^}]+)\}$/.exec(segment)?.[1];
      return parameter === undefined ? { literal: segment } : { parameter };
    });

const literalCount = (template: PathTemplate): number =>
  template.segments.filter((segment) => 'literal' in segment).length;

const matchTemplate = (template: PathTemplate, segments: readonly string[]): Record<string, string> | undefined => {
  if (segments.length !== template.segments.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, part] of template.segments.entries()) {
    const segment = segments[index] as string;
    if ('literal' in part) {
      if (segment !== part.literal) return undefined;
      continue;
    }
    const value = segment === '' ? undefined : decodePathSegment(segment);
    if (value === undefined) return undefined;
    parameters[part.parameter] = value;
  }
  return parameters;
};

/** A router over the catalogue: the routes of the path a request names, with its path parameters, or none. */
export const apiRouter = (routes: readonly Route[]): ((path: string) => RouteMatch | undefined) => {
  const templates = new Map<string, PathTemplate>();
  for (const route of routes) {
    const template = templates.get(route.path) ?? {
      segments: parseTemplate(route.path),
      routes: new Map<string, Route>(),
    };
    if (template.routes.has(route.method)) throw new Error(`Two routes for ${route.method} ${route.path}`);
    template.routes.set(route.method, route);
    templates.set(route.path, template);
  }
  // The most literal path first, as API Gateway prefers /payments/batch to /payments/{id}.
  const ordered = [...templates.values()].sort((a, b) => literalCount(b) - literalCount(a));
  return (path) => {
    const segments = path.split('/').slice(1);
    for (const template of ordered) {
      const pathParameters = matchTemplate(template, segments);
      if (pathParameters) return { byMethod: template.routes, pathParameters };
    }
    return undefined;
  };
};
