import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgmentsIn, unacknowledgedFindings } from '../support/nag';
import { STAGES, logicalId, synthesized } from '../support/synth';

/** The same pack, blind to acknowledgments: every finding, to check each acknowledgment is still needed. */
class AllFindings extends AwsSolutionsChecks {}
Object.defineProperty(AllFindings.prototype, 'isAcknowledged', { value: () => false });

describe.each(STAGES)('cdk-nag AwsSolutions (stage %s)', (stage) => {
  const synth = () => synthesized(stage);

  test('no finding is left unacknowledged (the same check makes `cdk synth` fail)', () => {
    expect(unacknowledgedFindings(synth().app)).toEqual([]);
  });

  test('every acknowledgment carries a written reason and matches a real finding on its construct', () => {
    const acknowledged = acknowledgmentsIn(synth().app);
    expect(acknowledged.length).toBeGreaterThan(0);
    const all = new AllFindings(synth().app).validateScope(synth().app).violations;
    for (const { path, id, reason } of acknowledged) {
      expect(reason.length).toBeGreaterThanOrEqual(60);
      const matching = all.filter(
        (violation) =>
          violation.ruleName === id &&
          violation.violatingResources.some((resource) => (resource.constructPath ?? '').startsWith(`${path}/`)),
      );
      expect({ path, id, found: matching.length > 0 }).toEqual({ path, id, found: true });
    }
  });

  test('only the reviewed kinds of finding are acknowledged', () => {
    const ids = [...new Set(acknowledgmentsIn(synth().app).map(({ id }) => id))].sort();
    // The report state machine's child executions and map runs (its Distributed Map), by its logical id.
    const reportExecutions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${logicalId(synth(), synth().stack.reportWorkflow.stateMachine)}.Name>`;
    // The web app: its site bucket (BucketDeployment's handler writes its objects), by its logical id.
    const siteBucket = logicalId(synth(), synth().stack.webApp.bucket);
    const reviewed = [
      // BucketDeployment's own handler (aws-cdk-lib's), which copies the built web app into its bucket.
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      ...['GetBucket*', 'GetObject*', 'List*', 'Abort*', 'DeleteObject*'].map(
        (a) => `AwsSolutions-IAM5[Action::s3:${a}]`,
      ),
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      `AwsSolutions-IAM5[Resource::<${siteBucket}.Arn>/*]`,
      // FurnishBureau puts its month's file: the furnishing bucket's month keys only.
      `AwsSolutions-IAM5[Resource::<${logicalId(synth(), synth().stack.furnishing.bucket)}.Arn>/????-??/*]`,
      // ...reads it back once for its SHA-256; FurnishShard puts parts, FurnishBureau reads them (decision 0023).
      `AwsSolutions-IAM5[Resource::<${logicalId(synth(), synth().stack.furnishing.bucket)}.Arn>/????-??/*.metro2]`,
      // ...and withdraws the month's file and its manifest when a re-run finds nothing to furnish.
      `AwsSolutions-IAM5[Resource::<${logicalId(synth(), synth().stack.furnishing.bucket)}.Arn>/????-??/*.metro2.manifest.json]`,
      `AwsSolutions-IAM5[Resource::<${logicalId(synth(), synth().stack.furnishing.partsBucket)}.Arn>/parts/*]`,
      // MarkErasuresFurnished reads the erased ids beside the month's parts.
      `AwsSolutions-IAM5[Resource::<${logicalId(synth(), synth().stack.furnishing.partsBucket)}.Arn>/parts/????-??/erased/*]`,
      'AwsSolutions-L1',
      // The web app's distribution (geography, a CloudFront web ACL, the default certificate) and its log bucket.
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR2',
      'AwsSolutions-CFR4',
      // The distribution's marker for the API's web ACL (EdgeOrigin): not a credential, rotated by redeploying.
      'AwsSolutions-SMG4',
      `AwsSolutions-IAM5[Resource::${reportExecutions}:*]`,
      `AwsSolutions-IAM5[Resource::${reportExecutions}/ReportShard:*]`,
      `AwsSolutions-IAM5[Resource::${reportExecutions}/FurnishShard:*]`,
      'AwsSolutions-COG2',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-SQS3',
      ...(stage === 'prod' ? [] : ['AwsSolutions-COG8']),
    ].sort();
    expect(ids).toEqual(reviewed);
  });

  test("the Step Functions wildcards are acknowledged on their own policies only (the Distributed Map's, StartReportRun's DescribeExecution), not on a role or the stack", () => {
    const policyPath = synth().stack.reportWorkflow.distributedMapPolicy?.node.path;
    expect(policyPath).toBeDefined();
    const describePath = `${synth().stack.node.path}/StartReportRun/DescribeItsWorkflowExecutions`;
    const onStatesArns = acknowledgmentsIn(synth().app).filter(({ id }) => id.includes(':states:'));
    // The map runs' children (any) and each map run's redrive: ReportShard, FurnishShard (decision 0023).
    expect(onStatesArns).toHaveLength(4);
    expect(onStatesArns.filter(({ path }) => path === policyPath)).toHaveLength(3);
    expect(onStatesArns.filter(({ path }) => path === describePath)).toHaveLength(1);
  });
});
