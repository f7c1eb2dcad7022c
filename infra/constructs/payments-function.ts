import { Duration, Size, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV, SERVICE_NAME } from '#contract/environment';
import { type FunctionDefinition, TABLE_NAME_ENV, type TableAccess, type TableBinding } from '#contract/functions';
import { IDEMPOTENCY_TABLE, PAYMENTS_TABLE } from '#contract/tables';
import type { StageConfig } from '../config';
import type { LambdaBundles } from './lambda-bundles';

/**
 * Node.js 24 is the Active LTS line (Node 22 is in maintenance and reaches end of life in
 * April 2027); pinned rather than NODEJS_LATEST so a CDK upgrade never changes it silently.
 */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * The table actions each access level allows: exactly what the handlers call. Reads are single
 * items or key ranges (GetItem, Query), never Scan; writes are the conditional put, the report
 * run's batched report writes (BatchWriteItem: its puts of new versions' parts and deletes of
 * replaced ones) with the summary's update in a report's transaction and the Powertools idempotency record's
 * put/update/delete. No DescribeTable, no Scan.
 */
export const TABLE_ACTIONS: Record<TableAccess, readonly string[]> = {
  R: ['dynamodb:GetItem', 'dynamodb:Query'],
  'R+Put': ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
  // UpdateItem: a report whose figures change moves its month's summary in the same transaction (decisions/0014).
  'R+BatchPut': [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:UpdateItem',
  ],
  // A reversal: one conditional update of its payment item (decisions/0019).
  'R+Update': ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
  RW: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
};

const STATEMENT_PREFIX: Record<TableAccess, string> = {
  R: 'Read',
  'R+Put': 'ReadPut',
  'R+BatchPut': 'ReadBatchPut',
  'R+Update': 'ReadUpdate',
  RW: 'ReadWrite',
};

/**
 * Writes only to items whose partition key starts with one of `prefixes`: every key of the request (each item of a
 * BatchWriteItem) must match, and a request with no key at all is not allowed (ForAllValues alone would allow it).
 */
export const ownItemsCondition = (prefixes: readonly string[]): Record<string, Record<string, unknown>> => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((prefix) => `${prefix}*`) },
  Null: { 'dynamodb:LeadingKeys': 'false' },
});

export interface PaymentsFunctionProps {
  definition: FunctionDefinition;
  config: StageConfig;
  encryptionKey: kms.IKey;
  /**
   * Reserve the stage's `reservedConcurrency` for it. The submission functions do (a report run
   * or an export must never take the concurrency POST /payments needs); the others draw on the
   * unreserved pool, which the account keeps at 100 or more.
   */
  reserveConcurrency: boolean;
  /** The stack's Lambdas bundled together; this function's code is its bundle. */
  bundles: LambdaBundles;
}

/**
 * One Lambda of the product with every default in one place: Node LTS on ARM64, esbuild
 * (minified, source maps, bundled locally, never in Docker: lambda-bundles.ts), X-Ray active, its own encrypted
 * log group with retention, Powertools settings, and a role that starts with no permissions
 * but writing its own logs. `bindTable` adds a table's name variable and its grant together.
 */
export class PaymentsFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly definition: FunctionDefinition;
  private readonly role: iam.Role;
  private readonly config: StageConfig;

  constructor(scope: Construct, id: string, props: PaymentsFunctionProps) {
    super(scope, id);
    const { definition, config } = props;
    this.definition = definition;
    this.config = config;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.encryptionKey,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${definition.name}: its log group, X-Ray, and the tables it is bound to`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      description: `Payments Tracker ${definition.name} (${config.stage})`,
      code: props.bundles.code(definition),
      handler: 'index.handler',
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: config.lambdaMemoryMb,
      timeout: Duration.seconds(definition.timeoutSeconds),
      ephemeralStorageSize:
        definition.ephemeralStorageMiB === undefined ? undefined : Size.mebibytes(definition.ephemeralStorageMiB),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reserveConcurrency ? (config.reservedConcurrency ?? undefined) : undefined,
      environment: {
        [ENV.serviceName]: SERVICE_NAME,
        [ENV.logLevel]: config.logLevel,
        [ENV.traceEnabled]: 'true',
        [ENV.consentDefault]: config.consentDefault,
        // Stack traces of unexpected errors point into the TypeScript sources (the bundles' source maps).
        NODE_OPTIONS: '--enable-source-maps',
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions: Resource "*" is the only form (added by Tracing.ACTIVE).',
    });
  }

  /**
   * The table's name in its environment variable, and exactly the actions of `access` on it and its indexes; a
   * writer of its own item kinds (`writes`) reads the table and its indexes, and writes only items whose partition
   * key starts with one of its prefixes (`dynamodb:LeadingKeys`, on the table: no write goes to an index).
   */
  bindTable(table: dynamodb.ITable, binding: TableBinding, encryptionKey: kms.IKey): void {
    const { table: definition, access, writes, batchReads, deletes } = binding;
    const variable = TABLE_NAME_ENV[definition.id];
    if (!variable) throw new Error(`No environment variable is defined for table ${definition.id}`);
    this.fn.addEnvironment(variable, table.tableName);
    if (definition.id === IDEMPOTENCY_TABLE.id) {
      this.fn.addEnvironment(ENV.idempotencyTtlSeconds, String(this.config.idempotencyTtlSeconds));
    } else if (access !== 'R' && writes === undefined && definition.id === PAYMENTS_TABLE.id) {
      // The payments table holds every kind of item: a writer names its own. The identities table holds one kind.
      throw new Error(`${this.definition.name} writes ${definition.id}: name the key prefixes it owns (writes)`);
    }
    const id = definition.id.replace(/[^A-Za-z0-9]/g, '');
    const withIndexes = [
      table.tableArn,
      ...definition.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
    ];
    const reads = [...TABLE_ACTIONS.R, ...(batchReads ? ['dynamodb:BatchGetItem'] : [])];
    if (writes === undefined) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: `${STATEMENT_PREFIX[access]}${id}`,
          actions: [...TABLE_ACTIONS[access], ...reads.filter((action) => !TABLE_ACTIONS[access].includes(action))],
          resources: withIndexes,
        }),
      );
    } else {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: `Read${id}`, actions: reads, resources: withIndexes }),
      );
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: `${STATEMENT_PREFIX[access]}OwnItems${id}`,
          actions: TABLE_ACTIONS[access].filter((action) => !TABLE_ACTIONS.R.includes(action)),
          resources: [table.tableArn],
          conditions: ownItemsCondition(writes),
        }),
      );
    }
    if (deletes !== undefined) this.grantDeletes(table, id, deletes);
    // The KMS actions CDK's own Table.grantReadData / grantReadWriteData give for a customer-managed table key.
    if (access === 'R') {
      encryptionKey.grantDecrypt(this.role);
    } else {
      encryptionKey.grantEncryptDecrypt(this.role);
      const reason =
        'kms:GenerateDataKey* and kms:ReEncrypt* are the action families DynamoDB needs to write items under the customer-managed table key (as CDK grants them); they apply to that one key only.';
      Validations.of(this.role).acknowledge(
        { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason },
        { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason },
      );
    }
  }

  /** DeleteItem on the table, only of items whose partition key starts with one of `prefixes` (open-dispute markers). */
  private grantDeletes(table: dynamodb.ITable, id: string, prefixes: readonly string[]): void {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: `DeleteOwnItems${id}`,
        actions: ['dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: ownItemsCondition(prefixes),
      }),
    );
  }
}
