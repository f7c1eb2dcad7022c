import { type CapacityLedger, recordCapacity } from '../../../bench/capacity';
import { packageOf } from '../../../bench/cpu-profile';

describe('the capacity ledger of the submission benchmark', () => {
  test("a write's units are split between the table and each index, as DynamoDB reports them", () => {
    const ledger: CapacityLedger = new Map();
    recordCapacity(ledger, 'PutItem', {
      TableName: 'payments',
      CapacityUnits: 2,
      Table: { CapacityUnits: 1 },
      GlobalSecondaryIndexes: { byMonthShard: { CapacityUnits: 1 } },
    });
    recordCapacity(ledger, 'PutItem', { TableName: 'idempotency', CapacityUnits: 1 });
    recordCapacity(ledger, 'PutItem', { TableName: 'idempotency', CapacityUnits: 1 });
    expect(Object.fromEntries(ledger)).toEqual({
      'PutItem payments': { requests: 1, units: 1 },
      'PutItem payments/byMonthShard': { requests: 0, units: 1 },
      'PutItem idempotency': { requests: 2, units: 2 },
    });
  });

  test("a transaction's answer (one entry per table) is booked the same way", () => {
    const ledger: CapacityLedger = new Map();
    recordCapacity(ledger, 'TransactWriteItems', [
      {
        TableName: 'payments',
        CapacityUnits: 6,
        Table: { CapacityUnits: 4 },
        GlobalSecondaryIndexes: { byMonthShard: { CapacityUnits: 2 } },
      },
    ]);
    expect(Object.fromEntries(ledger)).toEqual({
      'TransactWriteItems payments': { requests: 1, units: 4 },
      'TransactWriteItems payments/byMonthShard': { requests: 0, units: 2 },
    });
  });

  test('an answer without ConsumedCapacity books nothing', () => {
    const ledger: CapacityLedger = new Map();
    recordCapacity(ledger, 'GetItem', undefined);
    expect(ledger.size).toBe(0);
  });
});

describe('the CPU profile summary', () => {
  test('names the package a frame belongs to', () => {
    expect(packageOf('file:///repo/node_modules/@smithy/core/dist-cjs/index.js')).toBe('@smithy/core');
    expect(packageOf('/repo/node_modules/ajv/dist/core.js')).toBe('ajv');
    expect(packageOf('node:internal/streams/writable')).toBe('(node)');
    expect(packageOf('')).toBe('(v8)');
  });
});
