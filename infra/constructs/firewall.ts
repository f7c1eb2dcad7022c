import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { WAF_ANSWERS } from '#contract/api-gateway-templates';
import { ROUTES, type Route, routeKey } from '#contract/routes';
import { MAX_BODY_BYTES } from '#contract/workflow-io';
import type { StageConfig } from '../config';
import { type EdgeOrigin, VIEWER_IP_HEADER } from './edge-origin';

/** A route that accepts bodies over MAX_BODY_BYTES (POST /payments/batch), with its own limit. */
interface LargeBodyRoute {
  route: Route;
  maxBodyBytes: number;
}

/** The most WAF inspects of an API Gateway request body (AssociationConfig): 64 KB, in 16 KB steps. */
const WAF_MAX_INSPECTED_BYTES = 64 * 1024;

const largeBodyRoutes = (routes: readonly Route[]): LargeBodyRoute[] =>
  routes.flatMap((route) => {
    if (route.serve.kind !== 'sync-workflow' || route.serve.maxBodyBytes <= MAX_BODY_BYTES) return [];
    if (route.path.includes('{'))
      throw new Error(`${routeKey(route)}: WAF matches a large-body route by a literal path`);
    if (route.serve.maxBodyBytes > WAF_MAX_INSPECTED_BYTES)
      throw new Error(`${routeKey(route)}: WAF cannot inspect more than ${WAF_MAX_INSPECTED_BYTES} bytes of a body`);
    return [{ route, maxBodyBytes: route.serve.maxBodyBytes }];
  });

/** The request's URI path ends with the route's path (with or without the stage, as a custom domain maps it). */
const pathIs = (route: Route): wafv2.CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'ENDS_WITH',
    searchString: route.path,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

const bodyLargerThan = (bytes: number): wafv2.CfnWebACL.StatementProperty => ({
  sizeConstraintStatement: {
    fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
    comparisonOperator: 'GT',
    size: bytes,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

/** The least limit WAF accepts in a rate-based rule. */
export const WAF_MIN_RATE_LIMIT = 10;

/**
 * Batches a caller may send a minute so that their payments stay within its per-minute share: WAF counts requests,
 * not the payments in a body, so a batch is assumed full (`maxItems`). Never below WAF's minimum, which then
 * bounds a caller at WAF_MIN_RATE_LIMIT full batches a minute (docs/security.md).
 */
export const batchesPerCallerPerMinute = (requestsPerCallerPerMinute: number, maxItems: number): number =>
  Math.max(WAF_MIN_RATE_LIMIT, Math.floor(requestsPerCallerPerMinute / maxItems));

/** The routes whose one request carries several submissions (POST /payments/batch), with the most it carries. */
const multiItemRoutes = (routes: readonly Route[]): Array<{ route: Route; maxItems: number }> =>
  routes.flatMap((route) => {
    if (route.serve.kind !== 'sync-workflow' || route.serve.items === undefined) return [];
    if (route.path.includes('{')) throw new Error(`${routeKey(route)}: WAF matches a batch route by a literal path`);
    return [{ route, maxItems: route.serve.items.max }];
  });

/** Keyed on the Authorization header, untransformed: one access token is one caller (WAF cannot read its claims). */
const PER_TOKEN_KEY: wafv2.CfnWebACL.RateBasedStatementProperty['customKeys'] = [
  { header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } },
];

const anyOf = (statements: wafv2.CfnWebACL.StatementProperty[]): wafv2.CfnWebACL.StatementProperty =>
  statements.length === 1 ? statements[0]! : { orStatement: { statements } };

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
 * history). A route with a larger limit of its own (POST /payments/batch, 64 KiB) gets a rule of its
 * own, matched by its path, and is exempt from the 4 KiB rule; any other path, a variant spelling of
 * that one included, keeps the 4 KiB limit. WAF inspects API Gateway bodies up to 64 KB here (set
 * explicitly: the most it can, and the batch limit), and treats a larger body as matching (oversize
 * handling MATCH): nothing bigger gets past. ReadBatch checks the batch's limit again, byte for byte.
 * A rate-based rule limits each source IP (429): the viewer's address for a request of the web app's
 * distribution (which writes it: EdgeOrigin), the source address for any other; another limits each caller, keyed on the
 * Authorization header (one access token: a user's session of one app, or one integration), so
 * no caller takes more than its share from however many addresses, before the stage throttle that
 * all callers share (docs/decisions/0009-per-caller-fairness.md). A batch is one request to that rule, so each batch
 * route has a per-token rule of its own on its path, at the share divided by a full batch (batchesPerCallerPerMinute).
 * Two AWS managed rule groups drop
 * known-bad inputs and addresses on Amazon's IP reputation list (the source address: a viewer of the
 * distribution is not checked against it here, see docs/security.md).
 */
export class Firewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(
    scope: Construct,
    id: string,
    props: { config: StageConfig; stageArn: string; edge: EdgeOrigin; routes?: readonly Route[] },
  ) {
    super(scope, id);
    const routes = props.routes ?? ROUTES;
    const large = largeBodyRoutes(routes);
    const after = large.length + 1;
    const batchRules = perCallerBatchRules(routes, props.config, after + 3);

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `payments-tracker-${props.config.stage}`,
      description: 'The API: body size, per-IP and per-caller rate, known bad inputs and addresses',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`payments-tracker-${props.config.stage}`),
      associationConfig: { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: 'KB_64' } } },
      customResponseBodies: customResponseBodies(large),
      rules: [
        ...bodySizeRules(large),
        ...rateRules(props.config, props.edge, after),
        ...batchRules,
        managedRuleGroup('AWSManagedRulesAmazonIpReputationList', after + 3 + batchRules.length),
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', after + 4 + batchRules.length),
      ],
    });

    new wafv2.CfnWebACLAssociation(this, 'ApiStage', { webAclArn: this.webAcl.attrArn, resourceArn: props.stageArn });
  }
}

const blockWith = (responseCode: number, customResponseBodyKey: string): wafv2.CfnWebACL.RuleActionProperty => ({
  block: { customResponse: { responseCode, customResponseBodyKey } },
});

const rateLimitedAction = (): wafv2.CfnWebACL.RuleActionProperty =>
  blockWith(WAF_ANSWERS.rateLimited().statusCode, 'RateLimited');

const callerRateLimitedAction = (): wafv2.CfnWebACL.RuleActionProperty =>
  blockWith(WAF_ANSWERS.callerRateLimited().statusCode, 'CallerRateLimited');

/** The bodies WAF answers its blocks with: problem+json, one per large-body route's own limit. */
const customResponseBodies = (
  large: readonly LargeBodyRoute[],
): Record<string, wafv2.CfnWebACL.CustomResponseBodyProperty> => ({
  PayloadTooLarge: { contentType: 'APPLICATION_JSON', content: WAF_ANSWERS.bodyTooLarge(MAX_BODY_BYTES).body },
  ...Object.fromEntries(
    large.map(({ route, maxBodyBytes }) => [
      `PayloadTooLarge-${route.operationId}`,
      { contentType: 'APPLICATION_JSON', content: WAF_ANSWERS.bodyTooLarge(maxBodyBytes).body },
    ]),
  ),
  RateLimited: { contentType: 'APPLICATION_JSON', content: WAF_ANSWERS.rateLimited().body },
  CallerRateLimited: { contentType: 'APPLICATION_JSON', content: WAF_ANSWERS.callerRateLimited().body },
});

/** MAX_BODY_BYTES for every path but the large-body routes', then each of those at its own limit (priorities 0..n). */
const bodySizeRules = (large: readonly LargeBodyRoute[]): wafv2.CfnWebACL.RuleProperty[] => {
  const tooLargeStatus = WAF_ANSWERS.bodyTooLarge(MAX_BODY_BYTES).statusCode;
  return [
    {
      name: 'BodyTooLarge',
      priority: 0,
      action: blockWith(tooLargeStatus, 'PayloadTooLarge'),
      statement:
        large.length === 0
          ? bodyLargerThan(MAX_BODY_BYTES)
          : {
              andStatement: {
                statements: [
                  { notStatement: { statement: anyOf(large.map(({ route }) => pathIs(route))) } },
                  bodyLargerThan(MAX_BODY_BYTES),
                ],
              },
            },
      visibilityConfig: visibility('BodyTooLarge'),
    },
    ...large.map(({ route, maxBodyBytes }, index) => ({
      name: `BodyTooLarge-${route.operationId}`,
      priority: index + 1,
      action: blockWith(tooLargeStatus, `PayloadTooLarge-${route.operationId}`),
      statement: { andStatement: { statements: [pathIs(route), bodyLargerThan(maxBodyBytes)] } },
      visibilityConfig: visibility(`BodyTooLarge-${route.operationId}`),
    })),
  ];
};

/** Per source IP, per viewer IP (through the distribution) and per caller (token), from priority `first` on. */
const rateRules = (config: StageConfig, edge: EdgeOrigin, first: number): wafv2.CfnWebACL.RuleProperty[] => [
  {
    // A caller of the stage itself: its source address. Not a request of the distribution, whose source is an
    // edge server shared by many customers (those are the next rule's).
    name: 'RatePerIp',
    priority: first,
    action: rateLimitedAction(),
    statement: {
      rateBasedStatement: {
        aggregateKeyType: 'IP',
        limit: config.wafRequestsPerIpPer5Min,
        evaluationWindowSec: 300,
        scopeDownStatement: { notStatement: { statement: edge.cameThroughEdge } },
      },
    },
    visibilityConfig: visibility('RatePerIp'),
  },
  {
    // Through the distribution: the viewer's address, as its function wrote it (a malformed one is limited
    // as one address: MATCH).
    name: 'RatePerViewerIp',
    priority: first + 1,
    action: rateLimitedAction(),
    statement: {
      rateBasedStatement: {
        aggregateKeyType: 'FORWARDED_IP',
        forwardedIpConfig: { headerName: VIEWER_IP_HEADER, fallbackBehavior: 'MATCH' },
        limit: config.wafRequestsPerIpPer5Min,
        evaluationWindowSec: 300,
        scopeDownStatement: edge.cameThroughEdge,
      },
    },
    visibilityConfig: visibility('RatePerViewerIp'),
  },
  {
    name: 'RatePerCaller',
    priority: first + 2,
    action: callerRateLimitedAction(),
    statement: {
      rateBasedStatement: {
        // WAF cannot read a JWT's claims, but the token itself is one caller's: the header
        // value, untransformed, is the key. Requests without it are not counted here (they
        // are refused by the authorizer, and counted by RatePerIp).
        aggregateKeyType: 'CUSTOM_KEYS',
        customKeys: PER_TOKEN_KEY,
        limit: config.wafRequestsPerCallerPerMinute,
        evaluationWindowSec: 60,
      },
    },
    visibilityConfig: visibility('RatePerCaller'),
  },
];

// A batch is one request to RatePerCaller: a rule of its own per batch route counts that caller's batches there,
// at its share divided by a full batch, so batching does not multiply the share (docs/security.md has the bound).
const perCallerBatchRules = (
  routes: readonly Route[],
  config: StageConfig,
  first: number,
): wafv2.CfnWebACL.RuleProperty[] =>
  multiItemRoutes(routes).map(({ route, maxItems }, index) => ({
    name: `RatePerCallerBatch-${route.operationId}`,
    priority: first + index,
    action: callerRateLimitedAction(),
    statement: {
      rateBasedStatement: {
        aggregateKeyType: 'CUSTOM_KEYS',
        customKeys: PER_TOKEN_KEY,
        limit: batchesPerCallerPerMinute(config.wafRequestsPerCallerPerMinute, maxItems),
        evaluationWindowSec: 60,
        scopeDownStatement: pathIs(route),
      },
    },
    visibilityConfig: visibility(`RatePerCallerBatch-${route.operationId}`),
  }));
