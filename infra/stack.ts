import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SUBMIT_PAYMENT_WORKFLOW } from '#contract/functions';
import { TABLES } from '#contract/tables';
import type { StageConfig } from './config';
import { DataKey } from './constructs/encryption';
import { Firewall } from './constructs/firewall';
import { Identity } from './constructs/identity';
import { Observability } from './constructs/observability';
import { PaymentsApi } from './constructs/payments-api';
import { PaymentsFunction } from './constructs/payments-function';
import { Storage } from './constructs/storage';
import { SubmitPaymentWorkflow } from './constructs/submit-payment-workflow';

export interface PaymentsTrackerStackProps extends StackProps {
  config: StageConfig;
}

/**
 * The whole product for one stage, composed by concern: data key, storage, the submission
 * functions and workflow, identity, API with its web ACL, and observability.
 */
export class PaymentsTrackerStack extends Stack {
  readonly storage: Storage;
  readonly functions: PaymentsFunction[];
  readonly workflow: SubmitPaymentWorkflow;
  readonly identity: Identity;
  readonly api: PaymentsApi;
  readonly firewall: Firewall;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: PaymentsTrackerStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { key } = new DataKey(this, 'DataKey', { stage: config.stage });

    this.storage = new Storage(this, 'Storage', { encryptionKey: key });

    this.functions = SUBMIT_PAYMENT_WORKFLOW.functions.map((definition) => {
      const f = new PaymentsFunction(this, definition.name, { definition, config, encryptionKey: key });
      for (const { table, access } of definition.tables) f.bindTable(this.storage.table(table), table, access, key);
      return f;
    });

    this.workflow = new SubmitPaymentWorkflow(this, SUBMIT_PAYMENT_WORKFLOW.name, { config, functions: this.functions, encryptionKey: key });
    this.identity = new Identity(this, 'Identity', { config });
    this.api = new PaymentsApi(this, 'Api', {
      config,
      userPool: this.identity.userPool,
      stateMachine: this.workflow.stateMachine,
      encryptionKey: key,
    });
    this.firewall = new Firewall(this, 'Firewall', { config, stageArn: this.api.api.deploymentStage.stageArn });
    this.observability = new Observability(this, 'Observability', {
      config,
      encryptionKey: key,
      api: this.api.api,
      stateMachine: this.workflow.stateMachine,
      functions: this.functions,
      tables: TABLES.map((definition) => ({ id: definition.id, table: this.storage.table(definition) })),
      webAclName: this.firewall.webAcl.name as string,
    });

    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('ApiUrl', this.api.api.url, 'Base URL of the API stage');
    output('PaymentsEndpoint', this.api.paymentsUrl, 'POST here to submit a payment');
    output('UserPoolId', this.identity.userPool.userPoolId, 'Cognito user pool');
    output('UserAppClientId', this.identity.userAppClient.userPoolClientId, 'App client for user apps (authorization code + PKCE, no secret)');
    output('IntegrationClientId', this.identity.integrationClient.userPoolClientId, 'App client for trusted integrations (client credentials; read its secret with describe-user-pool-client)');
    output('HostedUiDomain', this.identity.hostedUiUrl, 'Cognito hosted UI and OAuth endpoints (/oauth2/authorize, /oauth2/token)');
    output('TokenEndpoint', `${this.identity.hostedUiUrl}/oauth2/token`, 'OAuth 2.0 token endpoint');
    for (const definition of TABLES) {
      output(`${definition.id.charAt(0).toUpperCase()}${definition.id.slice(1)}TableName`, this.storage.table(definition).tableName, `DynamoDB table ${definition.id}`);
    }
    output('SubmitPaymentStateMachineArn', this.workflow.stateMachine.stateMachineArn, 'Express state machine of POST /payments');
    output('SubmitPaymentExecutionLogGroup', this.workflow.logGroup.logGroupName, 'Where every submit-payment execution is recorded (level ALL, with data)');
    output('AlarmTopicArn', this.observability.topic.topicArn, 'Subscribe to receive the alarms');
    output('DashboardName', this.observability.dashboard.dashboardName, 'CloudWatch dashboard');
  }
}
