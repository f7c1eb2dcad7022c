import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '#contract/environment';
import type { StageConfig } from '../config';
import type { PaymentsFunction } from './payments-function';

/** The keys FurnishBureau writes: `<YYYY-MM>/<bureau>.metro2` and its `.manifest.json`, nothing else. */
export const FURNISHING_KEY_PATTERN = '????-??/*';

/** The keys FurnishBureau reads back (once, for the manifest's SHA-256): the month's files, not their manifests. */
export const FURNISHING_FILE_PATTERN = '????-??/*.metro2';

/** The month's manifests, which FurnishBureau deletes (with the files) when a re-run finds nothing to furnish. */
export const FURNISHING_MANIFEST_PATTERN = '????-??/*.metro2.manifest.json';

/** The parts bucket's keys: `parts/<YYYY-MM>/<bureau>/<shard>` and each shard's erased ids. */
export const FURNISHING_PARTS_PATTERN = 'parts/*';

/** The erased customers' ids kept beside a month's parts: all the erasure step reads of the parts bucket. */
export const FURNISHING_ERASED_PATTERN = 'parts/????-??/erased/*';

/** Days a part (and an abandoned multipart upload) is kept: a re-run within them finds them; no lock. */
export const FURNISHING_PARTS_DAYS = 7;

export interface FurnishingDeliveryProps {
  config: StageConfig;
  encryptionKey: kms.IKey;
  /** The stack's server access log bucket (the web app's). */
  accessLogs: s3.IBucket;
  /** FurnishBureau (the assemble step of one bureau): puts the month's file, reads it back once and reads the parts. */
  furnisher: PaymentsFunction;
  /** FurnishShard: puts its shard's parts in the parts bucket, and nothing else. */
  partWriter: PaymentsFunction;
  /** MarkErasuresFurnished: reads the erased ids beside the parts (its identities binding is the contract's). */
  erasureMarker: PaymentsFunction;
  /** StartReportRun: answers the bureaus (the setting only, no bucket). */
  runStarter: PaymentsFunction;
}

/** What both furnishing buckets are: the stack's key, no public access, TLS only, owner-enforced, access logged. */
const privateEncryptedBucket = (
  encryptionKey: kms.IKey,
  accessLogs: s3.IBucket,
  accessLogPrefix: string,
): s3.BucketProps => ({
  encryption: s3.BucketEncryption.KMS,
  encryptionKey,
  bucketKeyEnabled: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  serverAccessLogsBucket: accessLogs,
  serverAccessLogsPrefix: accessLogPrefix,
});

/**
 * Where the month's credit-bureau files are delivered (issue 23, decisions/0023): a dedicated bucket under the stack's
 * KMS key, never public, TLS only, access logged, versioned with object lock in governance mode so a delivered file
 * cannot be overwritten or deleted for the retention (a re-run adds a version). The bureaus' pickup (the stage's
 * `furnishingPickup`) is documented, not built.
 */
export class FurnishingDelivery extends Construct {
  readonly bucket: s3.Bucket;
  /** The shards' parts (decision 0023): under the same key, not locked, expired after FURNISHING_PARTS_DAYS. */
  readonly partsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: FurnishingDeliveryProps) {
    super(scope, id);
    const { config, encryptionKey, furnisher } = props;
    this.bucket = new s3.Bucket(this, 'Files', {
      ...privateEncryptedBucket(encryptionKey, props.accessLogs, 'furnishing-bucket/'),
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(config.furnishingRetentionDays)),
      // A replaced month's earlier version is kept as long as its lock, then expires.
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(config.furnishingRetentionDays + 1) },
        // An assembly that neither completed nor aborted (a crashed function) leaves no parts to pay for.
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.partsBucket = new s3.Bucket(this, 'Parts', {
      ...privateEncryptedBucket(encryptionKey, props.accessLogs, 'furnishing-parts-bucket/'),
      lifecycleRules: [{ expiration: Duration.days(FURNISHING_PARTS_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const fn of [furnisher, props.partWriter]) {
      fn.fn.addEnvironment(ENV.furnishingBucket, this.bucket.bucketName);
      fn.fn.addEnvironment(ENV.furnishingPartsBucket, this.partsBucket.bucketName);
    }
    props.erasureMarker.fn.addEnvironment(ENV.furnishingPartsBucket, this.partsBucket.bucketName);
    for (const fn of [props.partWriter, props.runStarter])
      fn.fn.addEnvironment(ENV.furnishingBureaus, config.furnishingBureaus.join(','));
    this.grantDelivery(furnisher, encryptionKey);
    this.grantParts(props.partWriter, furnisher, encryptionKey);
    this.grantErased(props.erasureMarker, encryptionKey);
  }

  /** The erasure step reads the erased ids beside the month's parts, nothing else of either bucket. */
  private grantErased(erasureMarker: PaymentsFunction, encryptionKey: kms.IKey): void {
    erasureMarker.fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadFurnishedErasures',
        actions: ['s3:GetObject'],
        resources: [this.partsBucket.arnForObjects(FURNISHING_ERASED_PATTERN)],
      }),
    );
    this.grantKeyViaS3(erasureMarker, encryptionKey, 'DecryptFurnishedErasures', ['kms:Decrypt']);
    const partsId = this.bucket.stack.getLogicalId(this.partsBucket.node.defaultChild as s3.CfnBucket);
    Validations.of(erasureMarker.fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${partsId}.Arn>/${FURNISHING_ERASED_PATTERN}]`,
      reason: "MarkErasuresFurnished reads each shard's erased ids of the month: the erased/ keys of the parts only.",
    });
  }

  /** FurnishShard puts parts; FurnishBureau reads them (HeadObject, ranged GETs, the source of UploadPartCopy). */
  private grantParts(partWriter: PaymentsFunction, furnisher: PaymentsFunction, encryptionKey: kms.IKey): void {
    const parts = this.partsBucket.arnForObjects(FURNISHING_PARTS_PATTERN);
    partWriter.fn.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'WriteFurnishingParts', actions: ['s3:PutObject'], resources: [parts] }),
    );
    furnisher.fn.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'ReadFurnishingParts', actions: ['s3:GetObject'], resources: [parts] }),
    );
    this.grantKeyViaS3(partWriter, encryptionKey, 'EncryptFurnishingParts', ['kms:GenerateDataKey', 'kms:Encrypt']);
    const partsId = this.bucket.stack.getLogicalId(this.partsBucket.node.defaultChild as s3.CfnBucket);
    for (const fn of [partWriter, furnisher])
      Validations.of(fn.fn.role!).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${partsId}.Arn>/${FURNISHING_PARTS_PATTERN}]`,
        reason:
          'FurnishShard puts one part per month, bureau and shard, and FurnishBureau reads them: the parts prefix of the parts bucket only.',
      });
  }

  private grantKeyViaS3(fn: PaymentsFunction, encryptionKey: kms.IKey, sid: string, actions: string[]): void {
    fn.fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid,
        actions,
        resources: [encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${this.bucket.stack.region}.amazonaws.com` } },
      }),
    );
  }

  /** Put (and multipart) on the month keys, the files read back once; delete only to withdraw; no retention change. */
  private grantDelivery(furnisher: PaymentsFunction, encryptionKey: kms.IKey): void {
    furnisher.fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DeliverFurnishingFiles',
        // PutObject covers the multipart upload and its UploadPartCopy; a rejected assembly is aborted.
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [this.bucket.arnForObjects(FURNISHING_KEY_PATTERN)],
      }),
    );
    // The assembled file read back once for its SHA-256 (S3's multipart checksum is composite, not the file's).
    furnisher.fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DigestFurnishingFiles',
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(FURNISHING_FILE_PATTERN)],
      }),
    );
    // Reading parts and the file back decrypts; writing (and UploadPartCopy) encrypts.
    this.grantKeyViaS3(furnisher, encryptionKey, 'EncryptFurnishingFiles', [
      'kms:GenerateDataKey',
      'kms:Encrypt',
      'kms:Decrypt',
    ]);
    this.grantWithdrawal(furnisher);
    const bucketId = this.bucket.stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    Validations.of(furnisher.fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${FURNISHING_KEY_PATTERN}]`,
      reason:
        'FurnishBureau puts one object per month and bureau (<YYYY-MM>/<bureau>.metro2 and its manifest): the key pattern names exactly those, in the furnishing bucket only.',
    });
    Validations.of(furnisher.fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${FURNISHING_FILE_PATTERN}]`,
      reason:
        "FurnishBureau reads the month's file back once for their SHA-256, and withdraws it when a re-run finds nothing: the .metro2 keys only.",
    });
    Validations.of(furnisher.fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${FURNISHING_MANIFEST_PATTERN}]`,
      reason:
        "FurnishBureau withdraws a month's manifest with its file when a re-run finds nothing: the manifests only.",
    });
  }

  /**
   * A re-run that finds nothing to furnish withdraws the month's file and manifest (decision 0023): delete on those keys
   * only (versioned and locked: a delete marker, the versions stay), and a listing of the file keys to find them
   * (without s3:ListBucket a HEAD of a missing key answers 403, not 404).
   */
  private grantWithdrawal(furnisher: PaymentsFunction): void {
    furnisher.fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WithdrawFurnishingFiles',
        actions: ['s3:DeleteObject'],
        resources: [
          this.bucket.arnForObjects(FURNISHING_FILE_PATTERN),
          this.bucket.arnForObjects(FURNISHING_MANIFEST_PATTERN),
        ],
      }),
    );
    furnisher.fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'FindFurnishingFiles',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': FURNISHING_FILE_PATTERN } },
      }),
    );
  }
}
