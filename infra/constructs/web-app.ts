import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Duration, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { Route } from '#contract/routes';
import type { WebAppDomain } from '../config';
import type { EdgeOrigin } from './edge-origin';
import { buildWebApp } from '#web/web-app-build';
import { webAppContentSecurityPolicy } from '#web/web-app-policy';
import { APP_BASE_PATH, CALLBACK_PATH, type WebAppConfig } from '#web/app/web-app-config';

/**
 * The customer web app in AWS: a private bucket (no public access, TLS only) behind a CloudFront distribution that
 * reads it with origin access control, HTTPS only (HTTP redirected), with the app's strict CSP and security headers.
 * The API's routes are served by the same distribution (a behaviour per first path segment of the route catalogue,
 * nothing cached, every viewer header but Host forwarded), so the app calls its own origin: no CORS, and the CSP's
 * connect-src is the app itself and the identity provider. API Gateway's 29 s limit stays the bound: the origin's
 * read timeout (30 s) is longer.
 */
/** `/app/` and `/app/callback` serve index.html (a bucket has no directory index). Viewer-request, cloudfront-js-2.0. */
const INDEX_REWRITE = `function handler(event) {
  var request = event.request;
  if (request.uri === '${APP_BASE_PATH}' || request.uri === '${CALLBACK_PATH}') request.uri = '${APP_BASE_PATH}index.html';
  return request;
}`;

/** The built app written where an asset can take it (a fresh temporary folder at every synth). */
const builtAppFolder = (): string => {
  const folder = mkdtempSync(path.join(tmpdir(), 'payments-web-app-'));
  for (const file of buildWebApp()) writeFileSync(path.join(folder, file.name), file.body);
  return folder;
};

export class WebApp extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly responseHeaders: cloudfront.ResponseHeadersPolicy;

  /** Origins the app connects to besides its own (set by publish): the CSP is rendered from them at synth. */
  private providerOrigins: readonly string[] = [];

  /** The app's own domain, when the stage has one (else the distribution's *.cloudfront.net name). */
  private readonly domain: WebAppDomain | undefined;

  constructor(scope: Construct, id: string, props: { domain?: WebAppDomain } = {}) {
    super(scope, id);
    this.domain = props.domain;
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are delivered with an ACL.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = this.createSiteBucket();
    this.responseHeaders = this.createResponseHeaders();
    this.distribution = this.createDistribution(props.domain);
    this.acknowledgeFindings();
  }

  /** Private, TLS only, versioned, its access logged to the log bucket. */
  private createSiteBucket(): s3.Bucket {
    return new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The app's strict CSP (rendered at synth from the origins publish sets) and security headers. */
  private createResponseHeaders(): cloudfront.ResponseHeadersPolicy {
    return new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Payments Tracker web app: strict CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: Lazy.string({ produce: () => webAppContentSecurityPolicy(this.providerOrigins) }),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
  }

  private createDistribution(domain: WebAppDomain | undefined): cloudfront.Distribution {
    return new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Payments Tracker web app (/app/) and the API beside it',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeaders,
        functionAssociations: [
          {
            eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
            function: new cloudfront.Function(this, 'IndexRewrite', {
              code: cloudfront.FunctionCode.fromInline(INDEX_REWRITE),
              runtime: cloudfront.FunctionRuntime.JS_2_0,
              comment: 'Serves index.html for /app/ and /app/callback',
            }),
          },
        ],
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      ...(domain
        ? {
            domainNames: [domain.name],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'distribution/',
    });
  }

  private acknowledgeFindings(): void {
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Customers use the app wherever they are (travelling included); a geographic restriction would lock them out of their own credit data.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          "The API behind this distribution keeps its regional web ACL (rate per caller, and per IP keyed on the viewer's address that the distribution adds: EdgeOrigin; size and managed rules); the static app needs none, and a CLOUDFRONT-scope ACL must live in us-east-1, outside this stack.",
      },
    );
    if (!this.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a domain of its own (the stage setting webAppDomain), the distribution serves HTTPS only (HTTP redirected) on the default *.cloudfront.net certificate, whose security policy CloudFront fixes; with one, it pins TLSv1.2_2021.',
      });
    }
  }

  /**
   * BucketDeployment's handler (one per stack, made by CDK, outside this construct): the findings are of its own
   * making, acknowledged on it alone, each with the reason it is acceptable here.
   */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const literal = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('BucketDeployment made no handler: aws-cdk-lib changed how it deploys');
    const s3Wildcard = (action: string) => ({
      id: `AwsSolutions-IAM5[Action::s3:${action}]`,
      reason:
        'BucketDeployment grants its handler the read actions on the CDK asset bucket and the write actions on the site bucket as CDK defines them (action groups, not a chosen wildcard); nothing else.',
    });
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "BucketDeployment's own handler writes its logs with AWSLambdaBasicExecutionRole; it runs only during a deployment, copying the built app into the site bucket.",
      },
      ...['GetBucket*', 'GetObject*', 'List*', 'Abort*', 'DeleteObject*'].map(s3Wildcard),
      {
        // As cdk-nag writes it: the partition and region literal where the stack knows them (`cdk synth` with an env).
        id: `AwsSolutions-IAM5[Resource::arn:${literal(stack.partition, '<AWS::Partition>')}:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${literal(stack.region, '<AWS::Region>')}/*]`,
        reason:
          "The handler reads the app's asset from the CDK bootstrap asset bucket, whose object keys are content hashes known only at deployment.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
        reason:
          "The handler writes and prunes the app's objects in the site bucket (every key under it): that bucket holds the app and nothing else.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'cloudfront:CreateInvalidation has no resource-level scoping that BucketDeployment uses: the handler invalidates /app/* of this distribution after each upload.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          "BucketDeployment's handler runtime is chosen by aws-cdk-lib (it ships the handler); it moves with the aws-cdk-lib version, pinned in package.json.",
      },
    );
  }

  /** `https://<the app's domain>`, or `https://<id>.cloudfront.net` without one. */
  get url(): string {
    return `https://${this.domain?.name ?? this.distribution.distributionDomainName}`;
  }

  /** Where Cognito sends the authorization code back, and where sign-out returns: the app's callback and its root. */
  get callbackUrl(): string {
    return `${this.url}${CALLBACK_PATH}`;
  }

  get signOutUrl(): string {
    return `${this.url}${APP_BASE_PATH}`;
  }

  /**
   * Serves the API's routes from the distribution: one behaviour per first path segment of the catalogue (`/payments*`,
   * `/reports*`), to the REST API's stage, uncached, with the Authorization header and the query string forwarded,
   * and the edge's two headers added (the viewer's address, the secret: see EdgeOrigin) for the API's web ACL. The
   * origin is the API's own domain where the stage has one (`apiDomain`), else its execute-api endpoint.
   */
  serveApi(api: apigw.RestApi, routes: readonly Route[], edge: EdgeOrigin, apiDomainName?: string): void {
    const originOptions = { readTimeout: Duration.seconds(30), customHeaders: edge.originHeaders };
    // Through the API's own domain where it has one (its base path maps the stage): then execute-api may be off.
    const origin = apiDomainName
      ? new origins.HttpOrigin(apiDomainName, {
          ...originOptions,
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        })
      : new origins.RestApiOrigin(api, originOptions);
    const segments = [...new Set(routes.map((route) => route.path.split('/')[1]))];
    for (const segment of segments) {
      this.distribution.addBehavior(`/${segment}*`, origin, {
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: this.responseHeaders,
        functionAssociations: [
          { eventType: cloudfront.FunctionEventType.VIEWER_REQUEST, function: edge.viewerIpFunction },
        ],
      });
    }
  }

  /**
   * Uploads the app built from web/app and its config.json (the user pool and client, resolved at deploy time), and
   * opens the CSP's connect-src to the provider's origins: the issuer (discovery, JWKS) and the hosted UI (token).
   */
  publish(config: WebAppConfig, providerOrigins: readonly string[]): s3deploy.BucketDeployment {
    this.providerOrigins = providerOrigins;
    const appFolder = builtAppFolder();
    const deployment = new s3deploy.BucketDeployment(this, 'Content', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: APP_BASE_PATH.slice(1),
      sources: [s3deploy.Source.asset(appFolder), s3deploy.Source.jsonData('config.json', config)],
      distribution: this.distribution,
      distributionPaths: [`${APP_BASE_PATH}*`],
      prune: true,
    });
    // The asset has been copied into the cloud assembly (by its content hash) as it was made: the build's temporary
    // folder goes, unless staging is off (SAM's local tools then read assets where they are).
    if (!this.node.tryGetContext(cxapi.DISABLE_ASSET_STAGING_CONTEXT))
      rmSync(appFolder, { recursive: true, force: true });
    this.acknowledgeDeploymentHandler();
    return deployment;
  }
}
