import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../../infra/app';
import { PROD_SAFE_DEFAULTS } from '../../../infra/config';
import type { PaymentsTrackerStack } from '../../../infra/stack';

import { REPOSITORY_ROOT } from '#contract/repository-root';

export { REPOSITORY_ROOT };

/** The context `cdk synth` gets from cdk.json: stages and feature flags. */
export const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
    .context;

export const STAGES = ['dev', 'prod'] as const;

/** A stage's setting as cdk.json gives it, else the prod-safe default. */
export const stageSetting = (stage: string, key: keyof typeof PROD_SAFE_DEFAULTS): unknown => {
  const overrides = (cdkJsonContext().stages as Record<string, Record<string, unknown>>)[stage] ?? {};
  return key in overrides ? overrides[key] : PROD_SAFE_DEFAULTS[key];
};
export type Stage = (typeof STAGES)[number];

export interface Synthesized {
  app: App;
  stack: PaymentsTrackerStack;
  template: Template;
}

/**
 * The app as `cdk synth -c stage=<stage>` builds it, synthesized in process. Lambda bundling is
 * skipped here (the CLI test bundles for real), so a test file synthesizes in a second or two.
 */
export const synthStage = (stage: Stage, context: Record<string, unknown> = {}): Synthesized => {
  const { app, stack } = buildApp({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context, stage },
  });
  return { app, stack, template: Template.fromStack(stack) };
};

/** Each stage synthesized once per jest file, on first use (templates.test.ts gathers the files that share it). */
const cache = new Map<Stage, Synthesized>();
export const synthesized = (stage: Stage): Synthesized => {
  const existing = cache.get(stage);
  if (existing) return existing;
  const result = synthStage(stage);
  cache.set(stage, result);
  return result;
};

type Resources = Record<
  string,
  { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }
>;

/** Resources of a type, by logical id. */
export const resourcesOf = (template: Template, type: string): Resources => template.findResources(type) as Resources;

/** The one resource of a type (fails when there are more). */
export const onlyResource = (template: Template, type: string): { id: string; Properties: Record<string, unknown> } => {
  const entries = Object.entries(resourcesOf(template, type));
  if (entries.length !== 1) throw new Error(`Expected one ${type}, found ${entries.length}`);
  const [id, resource] = entries[0] as [string, Resources[string]];
  return { id, Properties: resource.Properties };
};

/** The logical id CloudFormation gives a construct's default resource. */
export const logicalId = (synth: Synthesized, construct: { node: { defaultChild?: unknown } }): string =>
  synth.stack.getLogicalId(construct.node.defaultChild as never);
