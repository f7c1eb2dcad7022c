import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { WAF_ANSWERS } from '#contract/api-gateway-templates';
import { MAX_BODY_BYTES } from '#contract/workflow-io';
import type { StageConfig } from '../config';

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

const managedRuleGroup = (name: string, priority: number): wafv2.CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
  visibilityConfig: visibility(name),
});

/**
 * The regional web ACL in front of the API stage. It enforces what API Gateway (REST) cannot:
 * the body size limit. A REST API has no body-size setting (its hard limit is 10 MB), so a
 * size-constraint rule blocks any body over MAX_BODY_BYTES with 413, before the authorizer or
 * the workflow runs (MAX_BODY_BYTES is 4 KiB: every admitted byte is logged again in the execution
 * history). WAF inspects API Gateway bodies up to 16 KB here (set explicitly), and
 * treats a larger body as matching (oversize handling MATCH): nothing bigger gets past.
 * A rate-based rule limits each source IP (429); another limits each caller, keyed on the
 * Authorization header (one access token: a user's session of one app, or one integration), so
 * no caller takes more than its share from however many addresses, before the stage throttle that
 * all callers share (docs/decisions/0009-per-caller-fairness.md). Two AWS managed rule groups drop
 * known-bad inputs and addresses on Amazon's IP reputation list.
 */
export class Firewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: { config: StageConfig; stageArn: string }) {
    super(scope, id);
    const tooLarge = WAF_ANSWERS.bodyTooLarge(MAX_BODY_BYTES);
    const rateLimited = WAF_ANSWERS.rateLimited();
    const callerRateLimited = WAF_ANSWERS.callerRateLimited();

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `payments-tracker-${props.config.stage}`,
      description: 'The API: body size, per-IP and per-caller rate, known bad inputs and addresses',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`payments-tracker-${props.config.stage}`),
      associationConfig: { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: 'KB_16' } } },
      customResponseBodies: {
        PayloadTooLarge: { contentType: 'APPLICATION_JSON', content: tooLarge.body },
        RateLimited: { contentType: 'APPLICATION_JSON', content: rateLimited.body },
        CallerRateLimited: { contentType: 'APPLICATION_JSON', content: callerRateLimited.body },
      },
      rules: [
        {
          name: 'BodyTooLarge',
          priority: 0,
          action: {
            block: { customResponse: { responseCode: tooLarge.statusCode, customResponseBodyKey: 'PayloadTooLarge' } },
          },
          statement: {
            sizeConstraintStatement: {
              fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
              comparisonOperator: 'GT',
              size: MAX_BODY_BYTES,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          visibilityConfig: visibility('BodyTooLarge'),
        },
        {
          name: 'RatePerIp',
          priority: 1,
          action: {
            block: { customResponse: { responseCode: rateLimited.statusCode, customResponseBodyKey: 'RateLimited' } },
          },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: props.config.wafRequestsPerIpPer5Min,
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility('RatePerIp'),
        },
        {
          name: 'RatePerCaller',
          priority: 2,
          action: {
            block: {
              customResponse: {
                responseCode: callerRateLimited.statusCode,
                customResponseBodyKey: 'CallerRateLimited',
              },
            },
          },
          statement: {
            rateBasedStatement: {
              // WAF cannot read a JWT's claims, but the token itself is one caller's: the header
              // value, untransformed, is the key. Requests without it are not counted here (they
              // are refused by the authorizer, and counted by RatePerIp).
              aggregateKeyType: 'CUSTOM_KEYS',
              customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
              limit: props.config.wafRequestsPerCallerPerMinute,
              evaluationWindowSec: 60,
            },
          },
          visibilityConfig: visibility('RatePerCaller'),
        },
        managedRuleGroup('AWSManagedRulesAmazonIpReputationList', 3),
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 4),
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'ApiStage', { webAclArn: this.webAcl.attrArn, resourceArn: props.stageArn });
  }
}
