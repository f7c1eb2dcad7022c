import { BATCH_FUNCTIONS, type FunctionDefinition, REPORT_FUNCTIONS, SUBMISSION_FUNCTIONS } from '#contract/functions';

export type WorkflowType = 'EXPRESS' | 'STANDARD';

/**
 * A workflow, defined once: CDK deploys it (infra/constructs/asl-workflow.ts), the local stack runs it
 * (local/step-functions/workflow-runner.ts) and the route catalogue starts it (contract/routes.ts), all from this.
 */
export interface WorkflowDefinition<Type extends WorkflowType = WorkflowType> {
  /** Construct id and state machine name. */
  readonly name: string;
  /** Its ASL file, relative to the repository root. */
  readonly definitionFile: string;
  readonly type: Type;
  /** Every function its states invoke, the item processor's included: one `${...FunctionArn}` each. */
  readonly functions: readonly FunctionDefinition[];
  /** The workflow whose states its Map runs per item, composed in by contract/workflow-definition.ts. */
  readonly itemProcessor?: WorkflowDefinition;
}

/** POST /payments: one Express execution per payment, started synchronously by the API. */
export const SUBMIT_PAYMENT_WORKFLOW: WorkflowDefinition<'EXPRESS'> = {
  name: 'SubmitPayment',
  definitionFile: 'statemachines/submit-payment.asl.json',
  type: 'EXPRESS',
  functions: SUBMISSION_FUNCTIONS,
};

/**
 * POST /payments/batch: one Express execution per batch, whose Map runs the submit-payment workflow's states (composed
 * from its file) once per payment, with the same functions.
 */
export const SUBMIT_PAYMENT_BATCH_WORKFLOW: WorkflowDefinition<'EXPRESS'> = {
  name: 'SubmitPaymentBatch',
  definitionFile: 'statemachines/submit-payment-batch.asl.json',
  itemProcessor: SUBMIT_PAYMENT_WORKFLOW,
  type: 'EXPRESS',
  functions: [...BATCH_FUNCTIONS, ...SUBMIT_PAYMENT_WORKFLOW.functions],
};

/** The monthly report run: Standard (long, auditable history), started by schedule or by hand. */
export const MONTHLY_REPORT_WORKFLOW: WorkflowDefinition<'STANDARD'> = {
  name: 'MonthlyReport',
  definitionFile: 'statemachines/monthly-report.asl.json',
  type: 'STANDARD',
  functions: REPORT_FUNCTIONS,
};
