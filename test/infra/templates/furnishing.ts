import { Match } from 'aws-cdk-lib/assertions';
import { ENV } from '#contract/environment';
import { STAGES, logicalId, resourcesOf, stageSetting, synthesized } from '../support/synth';
import { FURNISHING_KEY_PATTERN } from '../../../infra/constructs/furnishing-delivery';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };
const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

describe.each(STAGES)('the furnishing bucket and FurnishMonth (stage %s)', (stage) => {
  const synth = () => synthesized(stage);
  const bucketId = () => logicalId(synth(), synth().stack.furnishing.bucket);
  const bucket = () => resourcesOf(synth().template, 'AWS::S3::Bucket')[bucketId()]!;
  const furnisher = () => synth().stack.reportFunctions.find((f) => f.definition.name === 'FurnishMonth')!;
  const statementsOfRole = (roleId: string): Statement[] =>
    Object.values(resourcesOf(synth().template, 'AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);

  test("the stack's KMS key, no public access, versioned, object lock in governance mode for the stage's days, access logged, retained", () => {
    const keyId = logicalId(synth(), synth().stack.node.findChild('DataKey').node.findChild('Key') as never);
    expect(bucket().Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
            BucketKeyEnabled: true,
          },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: stageSetting(stage, 'furnishingRetentionDays') } },
      },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logicalId(synth(), synth().stack.webApp.logBucket) },
        LogFilePrefix: 'furnishing-bucket/',
      },
    });
    expect(resourcesOf(synth().template, 'AWS::S3::Bucket')[bucketId()]?.DeletionPolicy).toBe('Retain');
  });

  test('TLS only: the bucket policy denies any request without secure transport', () => {
    synth().template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  test('FurnishMonth gets the bucket, the bureaus and 10 GiB of /tmp; it may only put month keys, under that key via S3', () => {
    const fnId = logicalId(synth(), furnisher().fn);
    const fn = resourcesOf(synth().template, 'AWS::Lambda::Function')[fnId]!;
    expect(fn.Properties).toMatchObject({
      Timeout: 900,
      EphemeralStorage: { Size: 10_240 },
      Environment: {
        Variables: expect.objectContaining({
          [ENV.furnishingBucket]: { Ref: bucketId() },
          [ENV.furnishingBureaus]: (stageSetting(stage, 'furnishingBureaus') as string[]).join(','),
        }),
      },
    });
    const statements = statementsOfRole(logicalId(synth(), furnisher().fn.role as never));
    const onBucket = statements.filter((statement) => JSON.stringify(statement.Resource).includes(bucketId()));
    expect(onBucket).toEqual([
      {
        Sid: 'DeliverFurnishingFiles',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, `/${FURNISHING_KEY_PATTERN}`]] },
      },
    ]);
    expect(statements.flatMap(actionsOf).filter((action) => action.startsWith('s3:'))).toEqual(['s3:PutObject']);
    const kms = statements.find((statement) => statement.Sid === 'EncryptFurnishingFiles')!;
    expect(actionsOf(kms).sort()).toEqual(['kms:Encrypt', 'kms:GenerateDataKey']);
    expect(kms.Condition).toEqual({
      StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
    });
  });

  test('no other function may touch the furnishing bucket', () => {
    for (const f of synth().stack.functions) {
      if (f.definition.name === 'FurnishMonth') continue;
      const statements = statementsOfRole(logicalId(synth(), f.fn.role as never));
      expect(statements.filter((statement) => JSON.stringify(statement.Resource).includes(bucketId()))).toEqual([]);
    }
  });
});
