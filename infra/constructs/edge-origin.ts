import { Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Set by the distribution on every request it sends to the API: the viewer cannot set it (CloudFront overwrites it). */
export const EDGE_ORIGIN_HEADER = 'x-payments-edge';

/** The viewer's own address, written by the distribution's viewer-request function over anything the viewer sent. */
export const VIEWER_IP_HEADER = 'x-payments-viewer-ip';

/**
 * Viewer-request, cloudfront-js-2.0. `event.viewer.ip` is the address the viewer connected from (IPv4 or IPv6), the
 * one thing a viewer cannot choose; assigning the header replaces whatever value the viewer sent under that name.
 */
export const VIEWER_IP_FUNCTION = `function handler(event) {
  var request = event.request;
  request.headers['${VIEWER_IP_HEADER}'] = { value: event.viewer.ip };
  return request;
}`;

/**
 * What lets the API's regional web ACL tell a request that came through the web app's distribution from one sent
 * to API Gateway directly, and find the viewer behind it. Through CloudFront, the source address WAF sees is an
 * edge server's, shared by every customer the edge serves: a per-IP limit keyed on it would throttle them together.
 *
 * The distribution therefore adds two headers to each API request: the viewer's address (VIEWER_IP_HEADER, from a
 * viewer-request function) and a generated secret (EDGE_ORIGIN_HEADER, an origin custom header). The web ACL keys
 * its per-IP limit on the viewer's address only for requests carrying the secret; any other request (direct to the
 * stage, or with a guessed secret) is keyed on its own source address, so a caller that writes the viewer header
 * itself gains nothing. X-Forwarded-For would not do: WAF takes its first address, which the viewer writes.
 */
export class EdgeOrigin extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly viewerIpFunction: cloudfront.Function;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Payments Tracker: marks API requests sent by the web app distribution (an origin custom header)',
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "The value is a routing marker, not a credential: it grants no access, only lets WAF key the per-IP limit on the distribution's viewer address. Rotating it means redeploying the distribution and the web ACL together (both read it at deployment), which a rotation Lambda cannot do.",
    });
    this.viewerIpFunction = new cloudfront.Function(this, 'ViewerIp', {
      code: cloudfront.FunctionCode.fromInline(VIEWER_IP_FUNCTION),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: `Writes the viewer's address to ${VIEWER_IP_HEADER} for the API's web ACL`,
    });
  }

  /** The secret as CloudFormation resolves it at deployment (a dynamic reference: never in the template). */
  private get value(): string {
    return this.secret.secretValue.unsafeUnwrap();
  }

  /** The distribution's origin custom headers for the API. */
  get originHeaders(): Record<string, string> {
    return { [EDGE_ORIGIN_HEADER]: this.value };
  }

  /** WAF: the request came through the distribution (it carries the secret, exactly). */
  get cameThroughEdge(): wafv2.CfnWebACL.StatementProperty {
    return {
      byteMatchStatement: {
        fieldToMatch: { singleHeader: { Name: EDGE_ORIGIN_HEADER } },
        positionalConstraint: 'EXACTLY',
        searchString: this.value,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    };
  }
}
