/**
 * The OAuth scopes' names: the ownership and read-access rules decide on them, so they are the
 * domain's; contract/scopes.ts re-exports them beside what each client is granted, for the
 * Cognito resource server (infra) and the local token issuer.
 */
export const RESOURCE_SERVER = 'payments';

export const SCOPES = {
  read: `${RESOURCE_SERVER}/read`,
  write: `${RESOURCE_SERVER}/write`,
  submitOnBehalf: `${RESOURCE_SERVER}/submit-on-behalf`,
  reportsAdmin: `${RESOURCE_SERVER}/reports-admin`,
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];
