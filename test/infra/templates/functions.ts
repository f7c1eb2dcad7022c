import { randomUUID } from 'node:crypto';
import { ENV, SERVICE_NAME } from '#contract/environment';
import {
  BATCH_FUNCTIONS,
  OPERATIONS_FUNCTIONS,
  READ_API_FUNCTIONS,
  REPORT_FUNCTIONS,
  SUBMISSION_FUNCTIONS,
  TABLE_NAME_ENV,
} from '#contract/functions';
import { PAYMENTS_TABLE, TABLES } from '#contract/tables';
import { PROD_SAFE_DEFAULTS } from '../../../infra/config';
import { TABLE_ACTIONS, ownItemsCondition } from '../../../infra/constructs/payments-function';
import {
  correctionKey,
  openDisputeMarkerKey,
  paymentKey,
  reportPartKey,
  runLockKey,
  runSummaryKey,
} from '#adapters/table-keys';
import { STAGES, logicalId, resourcesOf, stageSetting, synthesized } from '../support/synth';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };
const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** Every function of the shared contract: the submission path, the monthly report run, the read routes, operations'. */
const ALL_FUNCTIONS = [
  ...SUBMISSION_FUNCTIONS,
  ...BATCH_FUNCTIONS,
  ...REPORT_FUNCTIONS,
  ...READ_API_FUNCTIONS,
  ...OPERATIONS_FUNCTIONS,
];

describe.each(STAGES)('the Lambdas (stage %s)', (stage) => {
  const synth = () => synthesized(stage);
  /**
   * BucketDeployment's handler (aws-cdk-lib's, which copies the web app into its bucket at deployment) is not one of
   * ours: it runs no product code and reaches no table; test/infra/templates/web-app.ts and the cdk-nag test cover it.
   */
  const isDeploymentHandler = (logicalId: string): boolean => logicalId.startsWith('CustomCDKBucketDeployment');
  const functionsResources = () =>
    Object.fromEntries(
      Object.entries(resourcesOf(synth().template, 'AWS::Lambda::Function')).filter(([id]) => !isDeploymentHandler(id)),
    );
  const fnOf = (name: string) => {
    const f = synth().stack.functions.find((candidate) => candidate.definition.name === name);
    if (!f) throw new Error(name);
    return {
      construct: f,
      resource: functionsResources()[logicalId(synth(), f.fn)] as { Properties: Record<string, unknown> },
    };
  };

  test('one function per definition in contract/functions.ts, and no other', () => {
    expect(Object.keys(functionsResources())).toHaveLength(ALL_FUNCTIONS.length);
    expect(
      synth()
        .stack.functions.map((f) => f.definition.name)
        .sort(),
    ).toEqual(ALL_FUNCTIONS.map((definition) => definition.name).sort());
  });

  test.each(ALL_FUNCTIONS.map((definition) => [definition.name, definition] as const))(
    '%s: Node 24 LTS on ARM64, X-Ray active, its timeout, Powertools settings',
    (name, definition) => {
      const { Properties } = fnOf(name).resource;
      expect(Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Timeout: definition.timeoutSeconds,
        Handler: 'index.handler',
        MemorySize: stageSetting(stage, 'lambdaMemoryMb'),
      });
      const variables = (Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables).toMatchObject({
        [ENV.serviceName]: SERVICE_NAME,
        [ENV.logLevel]: stageSetting(stage, 'logLevel'),
        [ENV.traceEnabled]: 'true',
        NODE_OPTIONS: '--enable-source-maps',
      });
      // X-Ray's automatic mode: the local stack's manual mode (tracing off there) must never reach a traced function.
      expect(variables).not.toHaveProperty('AWS_XRAY_MANUAL_MODE');
    },
  );

  test.each(ALL_FUNCTIONS.map((definition) => [definition.name, definition] as const))(
    '%s: the name variable of exactly the tables it is bound to',
    (name, definition) => {
      const variables = (fnOf(name).resource.Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      const bound = Object.fromEntries(
        definition.tables.map(({ table }) => [
          TABLE_NAME_ENV[table.id],
          { Ref: logicalId(synth(), synth().stack.storage.table(table)) },
        ]),
      );
      const tableVariables = Object.fromEntries(
        Object.entries(variables).filter(([key]) => Object.values(TABLE_NAME_ENV).includes(key as never)),
      );
      expect(tableVariables).toEqual(bound);
    },
  );

  test('reserved concurrency as the stage decides for the submission functions (prod: a share each; dev: none); none for the rest', () => {
    const expected = stageSetting(stage, 'reservedConcurrency');
    for (const { name } of SUBMISSION_FUNCTIONS) {
      expect(fnOf(name).resource.Properties.ReservedConcurrentExecutions).toBe(
        expected === null ? undefined : expected,
      );
    }
    // Report runs and exports draw on the unreserved pool: they can never take what POST /payments needs.
    for (const { name } of [...REPORT_FUNCTIONS, ...READ_API_FUNCTIONS, ...OPERATIONS_FUNCTIONS]) {
      expect(fnOf(name).resource.Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
    if (stage === 'prod') expect(expected).toBe(PROD_SAFE_DEFAULTS.reservedConcurrency);
  });

  test('each function logs to its own KMS-encrypted log group with the stage retention', () => {
    for (const f of synth().stack.functions) {
      const resource = functionsResources()[logicalId(synth(), f.fn)] as { Properties: Record<string, unknown> };
      const logGroupId = logicalId(synth(), f.logGroup);
      expect(resource.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
      expect(resourcesOf(synth().template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties).toMatchObject({
        RetentionInDays: stageSetting(stage, 'logRetentionDays'),
        KmsKeyId: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
      });
    }
  });

  describe('least privilege', () => {
    const policyOf = (name: string): Statement[] => {
      const roleId = logicalId(synth(), fnOf(name).construct.fn.role as never);
      const policies = Object.values(resourcesOf(synth().template, 'AWS::IAM::Policy')).filter((policy) =>
        (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })),
      );
      return policies.flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    };

    test.each(ALL_FUNCTIONS.map((definition) => [definition.name, definition] as const))(
      '%s: exactly the table actions of its access level, on its tables and their indexes only; writes to its own item kinds',
      (name, definition) => {
        const dynamo = policyOf(name).filter((statement) =>
          actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
        );
        const statements = (writes?: unknown, deletes?: unknown) => 1 + (writes ? 1 : 0) + (deletes ? 1 : 0);
        expect(dynamo).toHaveLength(
          definition.tables.reduce((sum, { writes, deletes }) => sum + statements(writes, deletes), 0),
        );
        for (const { table, access, writes, batchReads, deletes } of definition.tables) {
          const tableId = logicalId(synth(), synth().stack.storage.table(table));
          const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
          const onTable = dynamo.filter((candidate) => JSON.stringify(candidate.Resource).includes(`"${tableId}"`));
          const batchGet = batchReads ? ['dynamodb:BatchGetItem'] : [];
          const deleteItem = deletes ? ['dynamodb:DeleteItem'] : [];
          expect(onTable.flatMap(actionsOf).sort()).toEqual(
            [...TABLE_ACTIONS[access], ...batchGet, ...deleteItem].sort(),
          );
          const isDelete = (st: Statement) => actionsOf(st).join() === 'dynamodb:DeleteItem';
          const [reads, ownWrites] = writes
            ? [onTable.find((st) => !st.Condition), onTable.find((st) => st.Condition && !isDelete(st))]
            : [onTable[0]];
          const resources = [reads?.Resource].flat();
          expect(resources[0]).toEqual(tableArn);
          expect(resources).toHaveLength(1 + table.globalSecondaryIndexes.length);
          for (const statement of onTable) expect(JSON.stringify(statement.Resource)).not.toContain('*');
          if (writes) {
            expect(actionsOf(reads as Statement).sort()).toEqual([...TABLE_ACTIONS.R, ...batchGet].sort());
            // Writes go to the table only (never an index), and only to items whose partition key it owns.
            expect(ownWrites?.Resource).toEqual(tableArn);
            expect(ownWrites?.Condition).toEqual(ownItemsCondition(writes));
          } else {
            expect(reads?.Condition).toBeUndefined();
          }
        }
        for (const statement of dynamo) expect(actionsOf(statement)).not.toContain('dynamodb:Scan');
      },
    );

    test.each([
      ['StorePayment', ['PAYMENT#*']],
      ['StartReportRun', ['REPORTRUN#*']],
      ['RebuildLateReports', ['REPORTS#*', 'REPORTRUN#*']],
      ['BuildReports', ['REPORTS#*', 'REPORTRUN#*']],
      ['WriteSummary', ['REPORTRUN#*']],
      ['CorrectCommitments', ['CORRECTIONS#*']],
      ['ReversePayment', ['PAYMENT#*']],
    ])('%s writes only the items it owns: dynamodb:LeadingKeys like %j, none missing', (name, prefixes) => {
      const writing = policyOf(name).filter((statement) =>
        actionsOf(statement).some((action) => /^dynamodb:(Put|BatchWrite|Update|Delete)/.test(action)),
      );
      expect(writing).toHaveLength(1);
      expect(writing[0]?.Condition).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes },
        Null: { 'dynamodb:LeadingKeys': 'false' },
      });
      // Each of those prefixes is a key the adapters build: a payment, a report part, a run summary or lock, a correction.
      const keys = [
        paymentKey('p').pk,
        reportPartKey(randomUUID(), '2026-10', 0).pk,
        runSummaryKey('2026-10').pk,
        correctionKey(randomUUID(), '2026-10-05T00:00:00.000Z', 'c').pk,
      ];
      const owned = keys.filter((key) => prefixes.some((prefix) => key.startsWith(prefix.slice(0, -1))));
      expect(owned).toHaveLength(prefixes.length);
      expect(runLockKey('2026-10').pk.startsWith('REPORTRUN#')).toBe(true);
    });

    test.each(['StorePayment', 'WriteSummary'])(
      '%s only puts whole items: no UpdateItem or DeleteItem on the payments table',
      (name) => {
        const actions = policyOf(name).flatMap(actionsOf);
        expect(actions).toContain('dynamodb:PutItem');
        expect(actions).not.toContain('dynamodb:UpdateItem');
        expect(actions).not.toContain('dynamodb:DeleteItem');
      },
    );

    test('open-dispute markers (decisions/0018): FileDispute puts them with its disputes; ResolveDispute deletes only them, and deletes nothing else', () => {
      const marker = openDisputeMarkerKey('2026-10-05T00:00:00.000Z', randomUUID()).pk;
      const conditionOf = (name: string, action: string) =>
        policyOf(name).find((statement) => actionsOf(statement).includes(action))?.Condition;
      expect(conditionOf('FileDispute', 'dynamodb:PutItem')).toEqual(ownItemsCondition(['DISPUTE#', marker]));
      expect(actionsOf(policyOf('FileDispute').find((st) => st.Condition) as Statement)).toEqual(['dynamodb:PutItem']);
      const deleting = policyOf('ResolveDispute').filter((st) => actionsOf(st).includes('dynamodb:DeleteItem'));
      expect(deleting).toHaveLength(1);
      expect(actionsOf(deleting[0] as Statement)).toEqual(['dynamodb:DeleteItem']);
      expect(deleting[0]?.Condition).toEqual(ownItemsCondition([marker]));
      expect(conditionOf('ResolveDispute', 'dynamodb:PutItem')).toEqual(
        ownItemsCondition(['DISPUTE#', 'CORRECTIONS#']),
      );
      // The readers of the open list: the markers by query, the disputes by key; no write at all.
      for (const name of ['ListDisputes', 'CheckOverdueDisputes']) {
        const actions = policyOf(name)
          .flatMap(actionsOf)
          .filter((action) => action.startsWith('dynamodb:'));
        expect(actions).not.toEqual(expect.arrayContaining(['dynamodb:PutItem']));
        expect(actions).not.toContain('dynamodb:DeleteItem');
        expect(actions).not.toContain('dynamodb:Scan');
      }
      expect(policyOf('ListDisputes').flatMap(actionsOf)).toContain('dynamodb:BatchGetItem');
    });

    test('ReversePayment only updates its payment items (the reversal added once): no PutItem, no DeleteItem, no batch', () => {
      const writes = policyOf('ReversePayment')
        .filter((statement) => statement.Condition)
        .flatMap(actionsOf);
      expect(writes).toEqual(['dynamodb:UpdateItem']);
      const actions = policyOf('ReversePayment').flatMap(actionsOf);
      for (const action of ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'])
        expect(actions).not.toContain(action);
    });

    test.each(['RebuildLateReports', 'BuildReports'])(
      '%s puts, batch-writes and updates (a month summary with a report, in one transaction) but deletes only in batches',
      (name) => {
        const actions = policyOf(name).flatMap(actionsOf);
        expect(actions).toEqual(
          expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem']),
        );
        expect(actions).not.toContain('dynamodb:DeleteItem');
      },
    );

    test('the report run: the builders and the summary read and put (batches included) on the payments table and its three indexes; RecordFailedBatch only reads', () => {
      const paymentsId = logicalId(synth(), synth().stack.storage.table(PAYMENTS_TABLE));
      const tableArn = { 'Fn::GetAtt': [paymentsId, 'Arn'] };
      const indexArn = (indexName: string) => ({ 'Fn::Join': ['', [tableArn, `/index/${indexName}`]] });
      /** The function's grants on the payments table, as one: the reads on the table and indexes, and its writes. */
      const paymentsGrant = (name: string): Statement => {
        const statements = policyOf(name).filter((statement) =>
          actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
        );
        const reads = statements.find((statement) => !statement.Condition) as Statement;
        return { ...reads, Action: statements.flatMap(actionsOf) };
      };
      for (const name of ['RebuildLateReports', 'BuildReports']) {
        const grant = paymentsGrant(name);
        expect(actionsOf(grant).sort()).toEqual([
          'dynamodb:BatchWriteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ]);
        expect(grant.Resource).toEqual([
          tableArn,
          indexArn('byMonthShard'),
          indexArn('byUser'),
          indexArn('lateArrivals'),
        ]);
      }
      // One put each: the summary and the month's run lock, the run lock, and the payment (no batch for the submission path).
      for (const name of ['WriteSummary', 'StartReportRun', 'StorePayment']) {
        expect(actionsOf(paymentsGrant(name)).sort()).toEqual([
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
        ]);
      }
      const recordFailed = paymentsGrant('RecordFailedBatch');
      expect(actionsOf(recordFailed).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
      expect(recordFailed.Resource).toEqual([
        tableArn,
        indexArn('byMonthShard'),
        indexArn('byUser'),
        indexArn('lateArrivals'),
      ]);
      // Reads decrypt only; writes also encrypt under the table key.
      const kmsActions = (name: string) =>
        policyOf(name)
          .flatMap(actionsOf)
          .filter((action) => action.startsWith('kms:'))
          .sort();
      expect(kmsActions('RecordFailedBatch')).toEqual(['kms:Decrypt']);
      expect(kmsActions('BuildReports')).toContain('kms:GenerateDataKey*');
    });

    test('only StartReportRun may ask Step Functions anything: DescribeExecution of the monthly-report executions, nothing else', () => {
      const machineId = logicalId(synth(), synth().stack.reportWorkflow.stateMachine);
      for (const definition of ALL_FUNCTIONS) {
        const statesGrants = policyOf(definition.name).filter((statement) =>
          actionsOf(statement).some((action) => action.startsWith('states:')),
        );
        if (definition.name !== 'StartReportRun') {
          expect(statesGrants).toEqual([]);
          continue;
        }
        expect(statesGrants).toHaveLength(1);
        expect(actionsOf(statesGrants[0] as Statement)).toEqual(['states:DescribeExecution']);
        expect(JSON.stringify(statesGrants[0]?.Resource)).toContain(
          `:execution:",{"Fn::GetAtt":["${machineId}","Name"]},":*"`,
        );
      }
    });

    test('no function may scan or touch a table it is not bound to; only a batchReads binding may read in batches, only R+BatchPut batch-write; none has a managed policy', () => {
      for (const definition of ALL_FUNCTIONS) {
        const tableIds = TABLES.filter((table) => !definition.tables.some((bound) => bound.table.id === table.id)).map(
          (table) => logicalId(synth(), synth().stack.storage.table(table)),
        );
        const text = JSON.stringify(policyOf(definition.name));
        for (const id of tableIds) expect(text).not.toContain(`"${id}"`);
        expect(text).not.toMatch(/dynamodb:(Scan|PartiQL|\*)/);
        // FurnishShard reads a page of customers' identities at once (decisions 0020, 0023); nothing else batch-reads.
        if (!definition.tables.some(({ batchReads }) => batchReads === true))
          expect(text).not.toContain('dynamodb:BatchGetItem');
        const batchWrites = definition.tables.some(({ access }) => access === 'R+BatchPut');
        if (!batchWrites) expect(text).not.toContain('dynamodb:BatchWriteItem');
      }
      for (const [id, role] of Object.entries(resourcesOf(synth().template, 'AWS::IAM::Role'))) {
        if (isDeploymentHandler(id)) continue;
        const assumedBy = JSON.stringify(role.Properties.AssumeRolePolicyDocument);
        if (assumedBy.includes('lambda.amazonaws.com')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    test('functions without tables have no DynamoDB permission, and KMS only through S3 (the furnishing buckets)', () => {
      const throughS3 = (statement: Statement) =>
        /"kms:ViaService":\{"Fn::Join":\["",\["s3\./.test(JSON.stringify(statement.Condition ?? {}));
      for (const definition of ALL_FUNCTIONS.filter((candidate) => candidate.tables.length === 0)) {
        const statements = policyOf(definition.name).filter((statement) => !throughS3(statement));
        expect(statements.flatMap(actionsOf).filter((action) => /^(dynamodb|kms):/.test(action))).toEqual([]);
      }
    });
  });
});
