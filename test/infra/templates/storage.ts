import { Match } from 'aws-cdk-lib/assertions';
import { BY_MONTH_SHARD_INDEX, BY_USER_INDEX, LATE_ARRIVALS_INDEX, PAYMENTS_TABLE, TABLES } from '#contract/tables';
import { STAGES, logicalId, resourcesOf, synthesized } from '../support/synth';

describe.each(STAGES)('DynamoDB tables (stage %s)', (stage) => {
  const synth = () => synthesized(stage);

  test('one table per shared definition, with its keys, indexes and TTL', () => {
    expect(Object.keys(resourcesOf(synth().template, 'AWS::DynamoDB::Table'))).toHaveLength(TABLES.length);
    for (const definition of TABLES) {
      const id = logicalId(synth(), synth().stack.storage.table(definition));
      const keySchema = [
        { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
        ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
      ];
      synth().template.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({
          KeySchema: keySchema,
          GlobalSecondaryIndexes: definition.globalSecondaryIndexes.length
            ? definition.globalSecondaryIndexes.map((index) =>
                Match.objectLike({
                  IndexName: index.indexName,
                  KeySchema: [
                    { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
                    ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' }] : []),
                  ],
                  Projection: { ProjectionType: 'ALL' },
                }),
              )
            : Match.absent(),
          TimeToLiveSpecification: definition.timeToLiveAttribute
            ? { AttributeName: definition.timeToLiveAttribute, Enabled: true }
            : Match.absent(),
        }),
      });
      expect(resourcesOf(synth().template, 'AWS::DynamoDB::Table')[id]).toBeDefined();
    }
  });

  test('the payments table: its three indexes, byMonthShard (gsi1pk/gsi1sk), the sparse lateArrivals (gsi2pk/gsi2sk) and byUser (userId/timestamp), each projecting ALL', () => {
    const id = logicalId(synth(), synth().stack.storage.table(PAYMENTS_TABLE));
    const table = resourcesOf(synth().template, 'AWS::DynamoDB::Table')[id]?.Properties as Record<string, unknown>;
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byMonthShard',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'lateArrivals',
        KeySchema: [
          { AttributeName: 'gsi2pk', KeyType: 'HASH' },
          { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        // On attributes every stored payment already has: DynamoDB backfills it when it is added (decision 0022).
        IndexName: 'byUser',
        KeySchema: [
          { AttributeName: 'userId', KeyType: 'HASH' },
          { AttributeName: 'timestamp', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    // Key attributes only, all strings: no attribute of the old byUserMonth index is left.
    const attributes = (table.AttributeDefinitions as Array<{ AttributeName: string; AttributeType: string }>)
      .map((a) => `${a.AttributeName}:${a.AttributeType}`)
      .sort();
    expect(attributes).toEqual([
      'gsi1pk:S',
      'gsi1sk:S',
      'gsi2pk:S',
      'gsi2sk:S',
      'pk:S',
      'sk:S',
      'timestamp:S',
      'userId:S',
    ]);
    // The names the handlers use (BY_MONTH_SHARD_INDEX, LATE_ARRIVALS_INDEX, BY_USER_INDEX) are the deployed ones.
    expect([BY_MONTH_SHARD_INDEX.indexName, LATE_ARRIVALS_INDEX.indexName, BY_USER_INDEX.indexName]).toEqual([
      'byMonthShard',
      'lateArrivals',
      'byUser',
    ]);
  });

  test('the idempotency table expires records by TTL', () => {
    synth().template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
  });

  test('every table: on demand, point-in-time recovery, deletion protection, KMS with the stack key, retained', () => {
    const keyId = logicalId(synth(), synth().stack.node.findChild('DataKey').node.findChild('Key') as never);
    for (const table of Object.values(resourcesOf(synth().template, 'AWS::DynamoDB::Table'))) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      });
      expect(table.Properties.ProvisionedThroughput).toBeUndefined();
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
    }
  });

  test('the data key rotates and is retained with the data', () => {
    synth().template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true }),
      DeletionPolicy: 'Retain',
    });
  });
});
