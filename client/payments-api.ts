import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '#client/openapi-types';

/**
 * The typed HTTP client of the Payments Tracker API (openapi-fetch over the types generated from docs/openapi.yaml):
 * a path, a parameter or a body that the published contract does not have fails to compile. It runs in a browser
 * (the web app) and in Node (the e2e tests, the benchmarks): nothing here but fetch.
 */
export type PaymentsApi = Client<paths>;
export type PaymentSubmission = components['schemas']['PaymentSubmission'];
export type StoredPayment = components['schemas']['StoredPayment'];
export type MonthlyReport = components['schemas']['MonthlyReport'];
export type Commitment = MonthlyReport['commitments'][number];
export type RunSummary = components['schemas']['RunSummary'];
export type BatchResults = components['schemas']['BatchResults'];
export type ReversalRequest = components['schemas']['ReversalRequest'];
export type PaymentReversal = components['schemas']['PaymentReversal'];
export type Problem = components['schemas']['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];

export interface PaymentsApiOptions {
  /** The API's root, e.g. http://localhost:3000 (no trailing slash). */
  baseUrl: string;
  /**
   * The bearer token of each request, asked for when the request is made (so a refreshed token is used); none: no
   * header. When it throws (the session has ended), the request is not sent: the call rejects with NoAccessTokenError.
   */
  accessToken?: () => string | undefined | Promise<string | undefined>;
  /** Another fetch (a test's, or one bound to a window). */
  fetch?: typeof fetch;
}

/** The request was not sent: its access token could not be had (the session ended, its refresh was refused). */
export class NoAccessTokenError extends Error {
  override readonly name = 'NoAccessTokenError';

  constructor(options?: ErrorOptions) {
    super('The request was not sent: no access token could be had for it', options);
  }
}

export const paymentsApi = (options: PaymentsApiOptions): PaymentsApi => {
  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
  const { accessToken } = options;
  if (accessToken) {
    client.use({
      onRequest: async ({ request }) => {
        const token = await Promise.resolve()
          .then(accessToken)
          .catch((cause: unknown) => {
            throw new NoAccessTokenError({ cause });
          });
        if (token) request.headers.set('Authorization', `Bearer ${token}`);
        return request;
      },
    });
  }
  return client;
};
