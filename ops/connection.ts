import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbConsentRepository } from '#adapters/consent-repository';
import { DynamoDbCorrectionRepository } from '#adapters/correction-repository';
import { DynamoDbDisputeRepository } from '#adapters/dispute-repository';
import { DynamoDbPaymentRepository } from '#adapters/payment-repository';
import type { ConsentChange } from '#domain/commitment-consent';
import { DynamoDbReportRepository } from '#adapters/report-repository';
import { toDocumentClient } from '#adapters/dynamodb-client';
import { stackDynamoDbEndpoint, stackSettings, stackSfnEndpoint } from '#devtools/stack-settings';
import { UsageError } from '#devtools/cli-runner';
import { localTableNames } from '#contract/tables';
import { AwsSource } from '#ops/aws-source';
import type { ExecutionSource } from '#ops/execution';
import { ExecutionLogs } from '#ops/execution-logs';
import { LocalStackSource, submissionStateMachines } from '#ops/step-functions-source';
import type { PaymentData } from '#ops/trace';
import type { Options } from '#ops/arguments';

/** Each submission state machine's log group, from its logging configuration (its ARN ends in `:log-group:<name>:*`). */
const discoverLogGroups = async (client: SFNClient): Promise<string[]> => {
  const stateMachineArns = await submissionStateMachines(client);
  if (stateMachineArns.length === 0)
    throw new UsageError('No submit-payment state machine in this account and region; pass --log-group');
  return Promise.all(
    stateMachineArns.map(async (stateMachineArn) => {
      const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
      const arn = described.loggingConfiguration?.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn ?? '';
      const name = /:log-group:([^:]+)/.exec(arn)?.[1];
      if (!name) throw new UsageError(`${stateMachineArn} has no log group configured; pass --log-group`);
      return name;
    }),
  );
};

export interface Target {
  source: ExecutionSource;
  data: () => PaymentData;
  /** A customer's consent changes, oldest first (pattern 7), from the payments table. */
  consentChanges: (userId: string) => Promise<ConsentChange[]>;
  /** The disputes and the corrections a resolution may append: the same repositories the API's handlers use. */
  disputeStores: () => DisputeStores;
  /** Whether the payments table is known (always locally; in AWS with --payments-table): the disputes warning needs it. */
  knowsPaymentsTable: boolean;
  close: () => void;
}

export interface DisputeStores {
  disputes: DynamoDbDisputeRepository;
  corrections: DynamoDbCorrectionRepository;
}

const disputeStoresOf = (client: DynamoDBClient, tableName: string): DisputeStores => {
  const documentClient = toDocumentClient(client);
  return {
    disputes: new DynamoDbDisputeRepository(documentClient, tableName),
    corrections: new DynamoDbCorrectionRepository(documentClient, tableName),
  };
};

const awsTable = (options: Options): string => {
  const tableName = options['payments-table'];
  if (!tableName)
    throw new UsageError(
      'In AWS, trace, consent and disputes need --payments-table <name> (the stack output PaymentsTableName)',
    );
  return tableName;
};

const consentOf = (client: DynamoDBClient, tableName: string, userId: string): Promise<ConsentChange[]> =>
  new DynamoDbConsentRepository(toDocumentClient(client), tableName).ofUser(userId);

/** The source the options name: AWS with --profile, else the local stack as npm start serves it. */
export const connect = async (options: Options): Promise<Target> => {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (options.profile) {
    const config = { profile: options.profile, ...(region ? { region } : {}) };
    const stepFunctions = new SFNClient(config);
    const logs = new CloudWatchLogsClient(config);
    const logGroupNames = options['log-group'] ? [options['log-group']] : await discoverLogGroups(stepFunctions);
    const dynamoDb = new DynamoDBClient(config);
    return {
      source: new AwsSource(
        stepFunctions,
        new ExecutionLogs(logs, { logGroupNames, warn: (message) => console.error(message) }),
      ),
      data: () => paymentData(dynamoDb, awsTable(options)),
      consentChanges: (userId) => consentOf(dynamoDb, awsTable(options), userId),
      disputeStores: () => disputeStoresOf(dynamoDb, awsTable(options)),
      knowsPaymentsTable: options['payments-table'] !== undefined,
      close: () => [stepFunctions, logs, dynamoDb].forEach((client) => client.destroy()),
    };
  }
  // The local stack accepts any keys and region, as DynamoDB Local does.
  const local = { region: region ?? 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  // Found as npm start serves it and npm run report finds it: the same variables, read in one place.
  const stack = stackSettings();
  const endpoint = options.endpoint ?? stackSfnEndpoint(stack);
  const stepFunctions = new SFNClient({ ...local, endpoint });
  const dynamoDb = new DynamoDBClient({
    ...local,
    endpoint: options['dynamodb-endpoint'] ?? stackDynamoDbEndpoint(stack),
  });
  const tableName = options['payments-table'] ?? localTableNames(options['table-prefix'] ?? stack.tablePrefix).payments;
  return {
    source: new LocalStackSource(stepFunctions, endpoint),
    data: () => paymentData(dynamoDb, tableName),
    consentChanges: (userId) => consentOf(dynamoDb, tableName, userId),
    disputeStores: () => disputeStoresOf(dynamoDb, tableName),
    knowsPaymentsTable: true,
    close: () => [stepFunctions, dynamoDb].forEach((client) => client.destroy()),
  };
};

const paymentData = (client: DynamoDBClient, tableName: string): PaymentData => {
  const documentClient = toDocumentClient(client);
  const payments = new DynamoDbPaymentRepository(documentClient, tableName);
  const reports = new DynamoDbReportRepository(documentClient, tableName);
  return { payment: (id) => payments.get(id), report: (userId, month) => reports.getReport(userId, month) };
};
