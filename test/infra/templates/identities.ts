import { ENV } from '#contract/environment';
import {
  FURNISHING_FUNCTION_NAME,
  FURNISHING_IDENTITIES_BINDING,
  READ_API_FUNCTIONS,
  REPORT_FUNCTIONS,
  functionNamed,
} from '#contract/functions';
import { IDENTITIES_TABLE } from '#contract/tables';
import { STAGES, logicalId, resourcesOf, synthesized } from '../support/synth';

/**
 * The identities table (decision 0020): encrypted with the stack's customer-managed key, recoverable, retained, and
 * reachable by the identity routes' functions and the furnishing step alone.
 */
const IDENTITY_ROUTE_FUNCTIONS = ['PutCustomerIdentity', 'GetCustomerIdentity', 'EraseCustomerIdentity'];
// FurnishShard reads a shard's identities for its parts; MarkErasuresFurnished marks the erasures furnished (0023).
const MAY_READ_IDENTITIES = [...IDENTITY_ROUTE_FUNCTIONS, FURNISHING_FUNCTION_NAME, 'FurnishShard'];

type Statement = { Action: string | string[]; Resource: unknown };
const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

describe.each(STAGES)('the identities table (stage %s)', (stage) => {
  const synth = () => synthesized(stage);
  const tableId = () => logicalId(synth(), synth().stack.storage.table(IDENTITIES_TABLE));
  const keyId = () => logicalId(synth(), synth().stack.node.findChild('DataKey').node.findChild('Key') as never);

  /** Each IAM policy's statements, by the logical id of the role it is attached to. */
  const statementsByRole = (): Map<string, Statement[]> => {
    const byRole = new Map<string, Statement[]>();
    for (const policy of Object.values(resourcesOf(synth().template, 'AWS::IAM::Policy'))) {
      const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
      for (const role of policy.Properties.Roles as Array<{ Ref?: string }>)
        if (role.Ref) byRole.set(role.Ref, [...(byRole.get(role.Ref) ?? []), ...statements]);
    }
    return byRole;
  };

  test("encrypted with the stack's customer-managed KMS key, point-in-time recovery, deletion protection, retained", () => {
    const table = resourcesOf(synth().template, 'AWS::DynamoDB::Table')[tableId()]!;
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId(), 'Arn'] } },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    // Read by key only: no index that could copy identities elsewhere.
    expect(table.Properties.GlobalSecondaryIndexes).toBeUndefined();
    expect(table.DeletionPolicy).toBe('Retain');
  });

  test('IAM: only the identity routes and the furnishing step have any action on the table, and no one may Scan it', () => {
    const statements = statementsByRole();
    const reaching: string[] = [];
    for (const fn of synth().stack.functions) {
      const roleId = logicalId(synth(), fn.fn.role as never);
      const onTable = (statements.get(roleId) ?? []).filter((statement) =>
        JSON.stringify(statement.Resource).includes(`"${tableId()}"`),
      );
      if (onTable.length > 0) reaching.push(fn.definition.name);
      for (const statement of onTable) expect(actionsOf(statement)).not.toContain('dynamodb:Scan');
    }
    expect(reaching.sort()).toEqual(
      MAY_READ_IDENTITIES.filter((name) => synth().stack.functions.some((fn) => fn.definition.name === name)).sort(),
    );
    // Nothing else in the stack (the API's roles, the state machines') names the table.
    const ownRoles = new Set(synth().stack.functions.map((fn) => logicalId(synth(), fn.fn.role as never)));
    for (const [roleId, roleStatements] of statements)
      if (!ownRoles.has(roleId))
        expect({ roleId, names: JSON.stringify(roleStatements).includes(`"${tableId()}"`) }).toEqual({
          roleId,
          names: false,
        });
  });

  test('the customer reads (GET), integrations and operations replace whole items (PUT, DELETE): no update, no delete', () => {
    const statements = statementsByRole();
    const actionsOfFunction = (name: string): string[] => {
      const fn = synth().stack.functions.find((candidate) => candidate.definition.name === name)!;
      return (statements.get(logicalId(synth(), fn.fn.role as never)) ?? [])
        .filter((statement) => JSON.stringify(statement.Resource).includes(`"${tableId()}"`))
        .flatMap(actionsOf)
        .sort();
    };
    expect(actionsOfFunction('GetCustomerIdentity')).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    for (const name of ['PutCustomerIdentity', 'EraseCustomerIdentity'])
      expect(actionsOfFunction(name)).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
  });

  test("the table's name is in the environment of those functions only", () => {
    const lambdas = resourcesOf(synth().template, 'AWS::Lambda::Function');
    const withName = synth()
      .stack.functions.filter((fn) => {
        const environment = lambdas[logicalId(synth(), fn.fn)]?.Properties.Environment as
          { Variables?: Record<string, unknown> } | undefined;
        return environment?.Variables?.[ENV.identitiesTable] !== undefined;
      })
      .map((fn) => fn.definition.name);
    expect(withName.sort()).toEqual(
      MAY_READ_IDENTITIES.filter((name) => synth().stack.functions.some((fn) => fn.definition.name === name)).sort(),
    );
  });
});

describe('the furnishing step’s grant, by name', () => {
  test('a function named MarkErasuresFurnished, in whatever list it is added, marks erasures (FurnishShard reads in batches); FurnishBureau has no identities', () => {
    expect(functionNamed({ name: FURNISHING_FUNCTION_NAME, tables: [], timeoutSeconds: 900 }).tables).toEqual([
      FURNISHING_IDENTITIES_BINDING,
    ]);
    expect(FURNISHING_IDENTITIES_BINDING).toEqual({ table: IDENTITIES_TABLE, access: 'R+Put' });
    expect(REPORT_FUNCTIONS.find(({ name }) => name === 'FurnishShard')!.tables).toContainEqual({
      table: IDENTITIES_TABLE,
      access: 'R',
      batchReads: true,
    });
    expect(REPORT_FUNCTIONS.find(({ name }) => name === 'FurnishBureau')!.tables).toEqual([]);
    // No other function gets it by name.
    expect(functionNamed({ name: 'BuildReports', tables: [], timeoutSeconds: 1 }).tables).toEqual([]);
    for (const definition of READ_API_FUNCTIONS)
      if (!IDENTITY_ROUTE_FUNCTIONS.includes(definition.name))
        expect(definition.tables.map((binding) => binding.table.id)).not.toContain(IDENTITIES_TABLE.id);
  });
});
