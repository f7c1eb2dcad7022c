import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { BILLING_MODE, INDEX_PROJECTION, type KeyDefinition, TABLES, type TableDefinition } from '#contract/tables';

const attribute = (key: KeyDefinition): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

const BILLING: Record<typeof BILLING_MODE, dynamodb.BillingMode> = {
  PAY_PER_REQUEST: dynamodb.BillingMode.PAY_PER_REQUEST,
};
const PROJECTION: Record<typeof INDEX_PROJECTION, dynamodb.ProjectionType> = { ALL: dynamodb.ProjectionType.ALL };

/**
 * The DynamoDB tables, built from the shared definitions (contract/tables.ts) that the
 * local stack's bootstrap also uses: keys, indexes and TTL cannot differ between the two.
 * Data tables outlive the stack: RETAIN, deletion protection and 35 days of point-in-time recovery.
 */
export class Storage extends Construct {
  private readonly tables = new Map<string, dynamodb.Table>();

  constructor(scope: Construct, id: string, props: { encryptionKey: kms.IKey }) {
    super(scope, id);
    for (const definition of TABLES) {
      const table = new dynamodb.Table(this, `${definition.id[0]?.toUpperCase()}${definition.id.slice(1)}Table`, {
        partitionKey: attribute(definition.partitionKey),
        sortKey: definition.sortKey && attribute(definition.sortKey),
        billingMode: BILLING[BILLING_MODE],
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: props.encryptionKey,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        timeToLiveAttribute: definition.timeToLiveAttribute,
      });
      for (const index of definition.globalSecondaryIndexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.indexName,
          partitionKey: attribute(index.partitionKey),
          sortKey: index.sortKey && attribute(index.sortKey),
          projectionType: PROJECTION[INDEX_PROJECTION],
        });
      }
      this.tables.set(definition.id, table);
    }
  }

  table(definition: TableDefinition): dynamodb.Table {
    const table = this.tables.get(definition.id);
    if (!table) throw new Error(`No table ${definition.id}`);
    return table;
  }
}
