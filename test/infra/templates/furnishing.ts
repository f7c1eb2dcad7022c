import { Match } from 'aws-cdk-lib/assertions';
import { ENV } from '#contract/environment';
import { STAGES, logicalId, resourcesOf, stageSetting, synthesized } from '../support/synth';
import {
  FURNISHING_ERASED_PATTERN,
  FURNISHING_FILE_PATTERN,
  FURNISHING_KEY_PATTERN,
  FURNISHING_MANIFEST_PATTERN,
  FURNISHING_PARTS_DAYS,
  FURNISHING_PARTS_PATTERN,
} from '../../../infra/constructs/furnishing-delivery';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };
const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

describe.each(STAGES)('the furnishing buckets, FurnishBureau and MarkErasuresFurnished (stage %s)', (stage) => {
  const synth = () => synthesized(stage);
  const bucketId = () => logicalId(synth(), synth().stack.furnishing.bucket);
  const bucket = () => resourcesOf(synth().template, 'AWS::S3::Bucket')[bucketId()]!;
  const partsId = () => logicalId(synth(), synth().stack.furnishing.partsBucket);
  const reportFunction = (name: string) => synth().stack.reportFunctions.find((f) => f.definition.name === name)!;
  const furnisher = () => reportFunction('FurnishBureau');
  const partWriter = () => reportFunction('FurnishShard');
  const erasureMarker = () => reportFunction('MarkErasuresFurnished');
  const variablesOf = (name: string) =>
    (
      resourcesOf(synth().template, 'AWS::Lambda::Function')[logicalId(synth(), reportFunction(name).fn)]!.Properties
        .Environment as { Variables: Record<string, unknown> }
    ).Variables;
  const objects = (bucket: string, pattern: string) => ({
    'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, `/${pattern}`]],
  });
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

  test('FurnishBureau (the assemble step of one bureau) gets both buckets; it may put and abort month keys, read the files back, withdraw a file and its manifest, and read parts', () => {
    const fnId = logicalId(synth(), furnisher().fn);
    const fn = resourcesOf(synth().template, 'AWS::Lambda::Function')[fnId]!;
    expect(fn.Properties).toMatchObject({
      Timeout: 900,
      Environment: {
        Variables: expect.objectContaining({
          [ENV.furnishingBucket]: { Ref: bucketId() },
          [ENV.furnishingPartsBucket]: { Ref: partsId() },
        }),
      },
    });
    // It is handed its bureau by the map; it neither reads identities nor marks erasures.
    expect(fn.Properties.Environment).not.toHaveProperty(['Variables', ENV.identitiesTable]);
    const statements = statementsOfRole(logicalId(synth(), furnisher().fn.role as never));
    const onBuckets = statements.filter((statement) =>
      [bucketId(), partsId()].some((id) => JSON.stringify(statement.Resource).includes(id)),
    );
    expect(onBuckets).toEqual([
      {
        Sid: 'DeliverFurnishingFiles',
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:PutObject'],
        Resource: objects(bucketId(), FURNISHING_KEY_PATTERN),
      },
      {
        Sid: 'DigestFurnishingFiles',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: objects(bucketId(), FURNISHING_FILE_PATTERN),
      },
      {
        Sid: 'WithdrawFurnishingFiles',
        Effect: 'Allow',
        Action: 's3:DeleteObject',
        Resource: [objects(bucketId(), FURNISHING_FILE_PATTERN), objects(bucketId(), FURNISHING_MANIFEST_PATTERN)],
      },
      {
        Sid: 'FindFurnishingFiles',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': [bucketId(), 'Arn'] },
        Condition: { StringLike: { 's3:prefix': FURNISHING_FILE_PATTERN } },
      },
      {
        Sid: 'ReadFurnishingParts',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: objects(partsId(), FURNISHING_PARTS_PATTERN),
      },
    ]);
    // Delete only to withdraw a month's file and manifest (a delete marker: the locked versions stay); nothing else.
    expect(statements.flatMap(actionsOf).filter((action) => action.startsWith('s3:'))).toEqual([
      's3:AbortMultipartUpload',
      's3:PutObject',
      's3:GetObject',
      's3:DeleteObject',
      's3:ListBucket',
      's3:GetObject',
    ]);
    expect(FURNISHING_FILE_PATTERN).toBe('????-??/*.metro2');
    expect(FURNISHING_MANIFEST_PATTERN).toBe('????-??/*.metro2.manifest.json');
    const kms = statements.find((statement) => statement.Sid === 'EncryptFurnishingFiles')!;
    expect(actionsOf(kms).sort()).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
    expect(kms.Condition).toEqual({
      StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
    });
  });

  test("the bureaus reach the run as names only: StartReportRun and FurnishShard get the stage's setting", () => {
    const bureaus = (stageSetting(stage, 'furnishingBureaus') as string[]).join(',');
    for (const name of ['StartReportRun', 'FurnishShard'])
      expect(variablesOf(name)[ENV.furnishingBureaus]).toEqual(bureaus);
    expect(variablesOf('StartReportRun')).not.toHaveProperty(ENV.furnishingBucket);
    expect(variablesOf('StartReportRun')).not.toHaveProperty(ENV.furnishingPartsBucket);
  });

  test('MarkErasuresFurnished may only read the erased ids beside the parts (and decrypt them through S3)', () => {
    expect(variablesOf('MarkErasuresFurnished')).toMatchObject({ [ENV.furnishingPartsBucket]: { Ref: partsId() } });
    expect(variablesOf('MarkErasuresFurnished')).not.toHaveProperty(ENV.furnishingBucket);
    const statements = statementsOfRole(logicalId(synth(), erasureMarker().fn.role as never));
    expect(statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('s3:')))).toEqual([
      {
        Sid: 'ReadFurnishedErasures',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: objects(partsId(), FURNISHING_ERASED_PATTERN),
      },
    ]);
    expect(JSON.stringify(statements)).not.toContain(`"${bucketId()}"`);
    expect(actionsOf(statements.find((statement) => statement.Sid === 'DecryptFurnishedErasures')!)).toEqual([
      'kms:Decrypt',
    ]);
  });

  test('FurnishShard gets 2 GiB of /tmp and may only put parts in the parts bucket', () => {
    const fnId = logicalId(synth(), partWriter().fn);
    const fn = resourcesOf(synth().template, 'AWS::Lambda::Function')[fnId]!;
    expect(fn.Properties).toMatchObject({
      Timeout: 900,
      EphemeralStorage: { Size: 2_048 },
      Environment: { Variables: expect.objectContaining({ [ENV.furnishingPartsBucket]: { Ref: partsId() } }) },
    });
    const statements = statementsOfRole(logicalId(synth(), partWriter().fn.role as never));
    expect(statements.flatMap(actionsOf).filter((action) => action.startsWith('s3:'))).toEqual(['s3:PutObject']);
    expect(statements.find((statement) => statement.Sid === 'WriteFurnishingParts')).toEqual({
      Sid: 'WriteFurnishingParts',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: objects(partsId(), FURNISHING_PARTS_PATTERN),
    });
    expect(JSON.stringify(statements)).not.toContain(`"${bucketId()}"`);
  });

  test('the parts bucket: the same key, no public access, TLS only, not locked, parts expire; the files bucket aborts stale uploads', () => {
    const parts = resourcesOf(synth().template, 'AWS::S3::Bucket')[partsId()]!;
    expect(parts.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [expect.objectContaining({ BucketKeyEnabled: true })] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: FURNISHING_PARTS_DAYS })] },
      LoggingConfiguration: expect.objectContaining({ LogFilePrefix: 'furnishing-parts-bucket/' }),
    });
    expect(parts.Properties.ObjectLockEnabled).toBeUndefined();
    const outputs = synth().template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.FurnishingPartsBucketName?.Value).toEqual({ Ref: partsId() });
    expect(bucket().Properties.LifecycleConfiguration).toMatchObject({
      Rules: expect.arrayContaining([
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
      ]),
    });
    synth().template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: partsId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('no other function may touch the furnishing buckets', () => {
    for (const f of synth().stack.functions) {
      if (['FurnishBureau', 'FurnishShard', 'MarkErasuresFurnished'].includes(f.definition.name)) continue;
      const statements = statementsOfRole(logicalId(synth(), f.fn.role as never));
      for (const id of [bucketId(), partsId()])
        expect(statements.filter((statement) => JSON.stringify(statement.Resource).includes(id))).toEqual([]);
    }
  });
});
