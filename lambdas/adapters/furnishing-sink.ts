import { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '#contract/environment';
import type { FurnishingFileSink } from '#domain/furnishing';
import { MissingConfigurationError } from '#adapters/config';
import { directoryFurnishingSink } from '#adapters/directory-furnishing-sink';
import { s3FurnishingSink } from '#adapters/s3-furnishing-sink';
import type { Observability } from '#adapters/workflow-handler';

/**
 * Where FurnishMonth delivers, from configuration only: the stage's bucket (FURNISHING_BUCKET, set by infra), else a
 * directory (FURNISHING_DIRECTORY, set by the local stack to DATA_DIR/furnishing). Neither is a configuration error.
 */
export const furnishingSinkFromEnv = (
  { tracer }: Observability,
  env: NodeJS.ProcessEnv = process.env,
): FurnishingFileSink => {
  const bucket = env[ENV.furnishingBucket];
  if (bucket) return s3FurnishingSink(tracer.captureAWSv3Client(new S3Client({})), bucket);
  const directory = env[ENV.furnishingDirectory];
  if (directory) return directoryFurnishingSink(directory);
  throw new MissingConfigurationError(`Set ${ENV.furnishingBucket} (AWS) or ${ENV.furnishingDirectory} (local)`);
};
