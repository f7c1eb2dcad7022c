import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readStageConfig } from './config';
import { PaymentsTrackerStack } from './stack';

/**
 * The CDK app: one stack for the stage chosen with `-c stage=...`, checked by cdk-nag's
 * AwsSolutions pack, registered as a policy-validation plugin: any finding that is not
 * acknowledged (each acknowledgment states its reason next to the resource it concerns)
 * interrupts synthesis, so `cdk synth` and `cdk deploy` fail on it.
 */
export const buildApp = (props: AppProps = {}): { app: App; stack: PaymentsTrackerStack } => {
  const app = new App(props);
  const config = readStageConfig(app.node);
  const stack = new PaymentsTrackerStack(app, `PaymentsTracker-${config.stage}`, {
    config,
    description: `Payments Tracker (${config.stage}): API Gateway, Step Functions, Lambda, DynamoDB, Cognito`,
    env: {
      account: config.account ?? process.env.CDK_DEFAULT_ACCOUNT,
      region: config.region ?? process.env.CDK_DEFAULT_REGION,
    },
    terminationProtection: config.terminationProtection,
  });
  Tags.of(app).add('project', 'payments-tracker');
  Tags.of(app).add('stage', config.stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
};
