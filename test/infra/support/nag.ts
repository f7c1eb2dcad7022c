import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface Acknowledged {
  path: string;
  id: string;
  reason: string;
}

/** Every acknowledgment made in the tree, with its construct and its reason. */
export const acknowledgmentsIn = (root: IConstruct): Acknowledged[] =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );

/** The AwsSolutions findings nobody acknowledged (what makes `cdk synth` fail), one line each. */
export const unacknowledgedFindings = (root: IConstruct): string[] => {
  const report = new AwsSolutionsChecks(root).validateScope(root);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.ruleName} at ${resource.constructPath}: ${violation.description}`,
    ),
  );
};
