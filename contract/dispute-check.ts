/**
 * The log line CheckOverdueDisputes writes once a day and the metric filters of infra's Observability read: one
 * place for the message and the field names, so the handler and the alarm cannot drift apart.
 */
export const OPEN_DISPUTES_LOG = {
  message: 'Open disputes checked',
  open: 'open',
  overdue: 'overdue',
  oldestOpenAgeDays: 'oldestOpenAgeDays',
} as const;
