import { type HttpResponse, REQUEST_ID_HEADER, problemResponse } from '#contract/http-mapping';

/**
 * Static files under one base path with one Content-Security-Policy, as CloudFront serves a bucket: the local
 * stand-in for the web app's distribution, and what serves the API docs page. GET and HEAD only; no directory listing.
 */
export interface StaticFile {
  contentType: string;
  body: string;
}

export interface StaticSite {
  /** e.g. `/app`: the site answers it (redirected to `/app/`) and everything under it. */
  basePath: string;
  /** Files by their path under the base path (`index.html`, `app.js`). */
  files: ReadonlyMap<string, StaticFile>;
  /** Paths under the base path that serve a file of another name (`''` and `callback` serve `index.html`). */
  aliases?: Readonly<Record<string, string>>;
  contentSecurityPolicy: string;
}

export const isSitePath = (site: StaticSite, pathname: string): boolean =>
  pathname === site.basePath || pathname.startsWith(`${site.basePath}/`);

/** The answer to a request under the site's base path. */
export const answerFromSite = (site: StaticSite, method: string, pathname: string, requestId: string): HttpResponse => {
  // HEAD is GET without the body (Node's server drops the body of a HEAD answer).
  if (method !== 'GET' && method !== 'HEAD') {
    return problemResponse('MethodNotAllowed', requestId, `${method} is not allowed on ${pathname}`, {
      Allow: 'GET, HEAD',
    });
  }
  if (pathname === site.basePath) {
    return { statusCode: 301, headers: { Location: `${site.basePath}/`, [REQUEST_ID_HEADER]: requestId }, body: '' };
  }
  const relative = pathname.slice(site.basePath.length + 1);
  const file = site.files.get(site.aliases?.[relative] ?? relative);
  if (!file) return problemResponse('NotFound', requestId, `No resource at ${pathname}`);
  return {
    statusCode: 200,
    headers: {
      'Content-Type': file.contentType,
      'Content-Security-Policy': site.contentSecurityPolicy,
      [REQUEST_ID_HEADER]: requestId,
    },
    body: file.body,
  };
};
