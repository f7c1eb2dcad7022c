/**
 * OAuth scopes of the payments API. The Cognito resource server (infra), the local token
 * issuer and the AuthorizeOwner rules all use these names.
 */
export const RESOURCE_SERVER = 'payments';

export const SCOPES = {
  read: `${RESOURCE_SERVER}/read`,
  write: `${RESOURCE_SERVER}/write`,
  submitOnBehalf: `${RESOURCE_SERVER}/submit-on-behalf`,
  reportsAdmin: `${RESOURCE_SERVER}/reports-admin`,
  disputesAdmin: `${RESOURCE_SERVER}/disputes-admin`,
  customersWrite: `${RESOURCE_SERVER}/customers-write`,
  customersErase: `${RESOURCE_SERVER}/customers-erase`,
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

/** What each scope allows: the Cognito resource server's scope descriptions and the local consent page's words. */
export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  [SCOPES.read]: 'Read own payments and reports',
  [SCOPES.write]: 'Submit payments',
  [SCOPES.submitOnBehalf]: 'Submit payments for any user (trusted integrations)',
  [SCOPES.reportsAdmin]: 'Run and inspect monthly report runs (operations)',
  [SCOPES.disputesAdmin]: "List every customer's open disputes and resolve them (operations)",
  [SCOPES.customersWrite]: "Write a customer's identity for the credit file (trusted integrations)",
  [SCOPES.customersErase]: "Erase a customer's identity (operations)",
};

/** What a user's app is granted: its own payments, read and write. */
export const USER_APP_SCOPES: readonly Scope[] = [SCOPES.read, SCOPES.write];

/** What a trusted integration (a bank feed) is granted: write for any user, and the identities of its customers. */
export const INTEGRATION_SCOPES: readonly Scope[] = [SCOPES.write, SCOPES.submitOnBehalf, SCOPES.customersWrite];

/**
 * What operations are granted (client credentials): the report runs' summaries and exports, and
 * reads; nothing that writes, and never with submit-on-behalf, so the client that sees every
 * user's reports cannot also submit for any of them. It erases identities (decision 0020), never writes them.
 */
export const OPERATIONS_SCOPES: readonly Scope[] = [
  SCOPES.reportsAdmin,
  SCOPES.read,
  SCOPES.disputesAdmin,
  SCOPES.customersErase,
];

/** Space-separated, as in the `scope` claim of a Cognito access token. */
export const parseScopeClaim = (claim: string | undefined): string[] =>
  (claim ?? '').split(' ').filter((s) => s.length > 0);
