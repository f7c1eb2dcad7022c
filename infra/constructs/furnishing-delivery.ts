import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '#contract/environment';
import type { StageConfig } from '../config';
import type { PaymentsFunction } from './payments-function';

/** The keys FurnishMonth writes: `<YYYY-MM>/<bureau>.metro2` and its `.manifest.json`, nothing else. */
export const FURNISHING_KEY_PATTERN = '????-??/*';

export interface FurnishingDeliveryProps {
  config: StageConfig;
  encryptionKey: kms.IKey;
  /** The stack's server access log bucket (the web app's). */
  accessLogs: s3.IBucket;
  /** FurnishMonth: gets the bucket's name and the right to put the month's objects, and no other. */
  furnisher: PaymentsFunction;
}

/**
 * Where the month's credit-bureau files are delivered (issue 23, decisions/0023): a dedicated bucket under the stack's
 * KMS key, never public, TLS only, access logged, versioned with object lock in governance mode so a delivered file
 * cannot be overwritten or deleted for the retention (a re-run adds a version). The bureaus' pickup (the stage's
 * `furnishingPickup`) is documented, not built.
 */
export class FurnishingDelivery extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: FurnishingDeliveryProps) {
    super(scope, id);
    const { config, encryptionKey, furnisher } = props;
    this.bucket = new s3.Bucket(this, 'Files', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(config.furnishingRetentionDays)),
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'furnishing-bucket/',
      // A replaced month's earlier version is kept as long as its lock, then expires.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(config.furnishingRetentionDays + 1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    furnisher.fn.addEnvironment(ENV.furnishingBucket, this.bucket.bucketName);
    furnisher.fn.addEnvironment(ENV.furnishingBureaus, config.furnishingBureaus.join(','));
    this.grantDelivery(furnisher, encryptionKey);
  }

  /** Put only (no read, no delete, no retention change) on the month keys, and the key's data-key generation for it. */
  private grantDelivery(furnisher: PaymentsFunction, encryptionKey: kms.IKey): void {
    furnisher.fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DeliverFurnishingFiles',
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(FURNISHING_KEY_PATTERN)],
      }),
    );
    furnisher.fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'EncryptFurnishingFiles',
        actions: ['kms:GenerateDataKey', 'kms:Encrypt'],
        resources: [encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.bucket.stack.region}.amazonaws.com` } },
      }),
    );
    Validations.of(furnisher.fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.bucket.stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${FURNISHING_KEY_PATTERN}]`,
      reason:
        'FurnishMonth puts one object per month and bureau (<YYYY-MM>/<bureau>.metro2 and its manifest): the key pattern names exactly those, in the furnishing bucket only.',
    });
  }
}
