import type { KoaContextWithOIDC } from 'oidc-provider';
import {
  AUTO_SUBMIT_CONTENT_SECURITY_POLICY,
  PAGES_SECURITY_HEADERS,
  autoSubmitPage,
} from '#local/cognito/sign-in-pages';

/**
 * oidc-provider answers a few steps with a page that submits a form by an inline script (its `form_post` helper:
 * sign-out when no one is signed in, a sign-in as another account, the `form_post` response mode), and has no hook to
 * render it. This middleware gives that page the provider pages' look and headers, with the form as the library wrote
 * it (action, hidden fields, its no-script Continue button) and the submission done by a script file instead.
 */
const INLINE_SCRIPT = /<script>[\s\S]*?<\/script>/;
const FORM = /<form method="post" action="[^"]*">[\s\S]*?<\/form>/;

/** The page as served, or undefined when the body is not the library's self-submitting page. */
export const withoutInlineScript = (body: string): string | undefined => {
  if (!INLINE_SCRIPT.test(body)) return undefined;
  const form = FORM.exec(body)?.[0];
  if (!form) throw new Error('oidc-provider wrote a page with an inline script that is not its self-submitting form');
  return autoSubmitPage(form);
};

export const autoSubmitMiddleware = async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
  await next();
  if (typeof ctx.body !== 'string' || !ctx.response.is('html')) return;
  const page = withoutInlineScript(ctx.body);
  if (page === undefined) return;
  ctx.body = page;
  ctx.set({ ...PAGES_SECURITY_HEADERS, 'Content-Security-Policy': AUTO_SUBMIT_CONTENT_SECURITY_POLICY });
};
