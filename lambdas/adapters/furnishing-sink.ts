import { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '#contract/environment';
import type { FurnishingFileSink } from '#domain/furnishing';
import type { FurnishingAssembler, FurnishingPartStore } from '#domain/furnishing-parts';
import { MissingConfigurationError } from '#adapters/config';
import { directoryFurnishingSink } from '#adapters/directory-furnishing-sink';
import { directoryAssembler, directoryPartStore } from '#adapters/directory-furnishing-parts';
import { s3FurnishingAssembler, s3PartStore } from '#adapters/s3-furnishing-parts';
import { s3FurnishingSink } from '#adapters/s3-furnishing-sink';
import type { Observability } from '#adapters/workflow-handler';

/**
 * Where the one-file path's sink delivers, from configuration only: the stage's bucket (FURNISHING_BUCKET, set by infra), else a
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

/** The sharded furnishing's ends (decision 0023): where parts go and how they become the month's file. */
export interface FurnishingParts {
  parts: FurnishingPartStore;
  assembler: FurnishingAssembler;
}

/**
 * From configuration only, as the sink: in AWS the parts bucket (FURNISHING_PARTS_BUCKET) and the files bucket
 * (FURNISHING_BUCKET), else the directory (FURNISHING_DIRECTORY: parts under <month>/parts/).
 */
export const furnishingPartsFromEnv = (
  { tracer }: Observability,
  env: NodeJS.ProcessEnv = process.env,
): FurnishingParts => {
  const [files, parts] = [env[ENV.furnishingBucket], env[ENV.furnishingPartsBucket]];
  if (files && parts) {
    const client = tracer.captureAWSv3Client(new S3Client({}));
    return { parts: s3PartStore(client, parts), assembler: s3FurnishingAssembler(client, { files, parts }) };
  }
  const directory = env[ENV.furnishingDirectory];
  if (directory) return { parts: directoryPartStore(directory), assembler: directoryAssembler(directory) };
  throw new MissingConfigurationError(
    `Set ${ENV.furnishingBucket} and ${ENV.furnishingPartsBucket} (AWS) or ${ENV.furnishingDirectory} (local)`,
  );
};

/** The parts store alone (the erasure step reads the erased ids kept beside the parts): the parts bucket or directory. */
export const furnishingPartStoreFromEnv = (
  { tracer }: Observability,
  env: NodeJS.ProcessEnv = process.env,
): FurnishingPartStore => {
  const bucket = env[ENV.furnishingPartsBucket];
  if (bucket) return s3PartStore(tracer.captureAWSv3Client(new S3Client({})), bucket);
  const directory = env[ENV.furnishingDirectory];
  if (directory) return directoryPartStore(directory);
  throw new MissingConfigurationError(`Set ${ENV.furnishingPartsBucket} (AWS) or ${ENV.furnishingDirectory} (local)`);
};
