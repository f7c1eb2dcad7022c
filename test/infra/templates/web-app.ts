import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { App, AssetStaging, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { WebApp } from '../../../infra/constructs/web-app';
import { ROUTES } from '#contract/routes';
import { USER_APP_CLIENT } from '#contract/oauth-clients';
import { APP_BASE_PATH, CALLBACK_PATH } from '#web/app/web-app-config';
import { acknowledgmentsIn, unacknowledgedFindings } from '../support/nag';
import {
  STAGES,
  cdkJsonContext,
  logicalId,
  onlyResource,
  resourcesOf,
  stageSetting,
  synthStage,
  synthesized,
} from '../support/synth';

/**
 * The customer web app in AWS: a private bucket behind CloudFront with origin access control, HTTPS only, the app's
 * strict CSP, the API served beside it from the route catalogue, and the Cognito user-app client sending the
 * authorization code back to it.
 */
describe.each(STAGES)('web app hosting (stage %s)', (stage) => {
  const synth = () => synthesized(stage);
  const template = () => synth().template;
  const distributionId = () => logicalId(synth(), synth().stack.webApp.distribution);
  const siteBucketId = () => logicalId(synth(), synth().stack.webApp.bucket);
  const distribution = () =>
    resourcesOf(template(), 'AWS::CloudFront::Distribution')[distributionId()]!.Properties.DistributionConfig as Record<
      string,
      unknown
    >;
  const appUrl = (path: string) => ({
    'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }, path]],
  });

  test('the site bucket blocks all public access, is encrypted, refuses plain HTTP and logs its access', () => {
    const bucket = resourcesOf(template(), 'AWS::S3::Bucket')[siteBucketId()]!.Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'site-bucket/' });
    expect(bucket.WebsiteConfiguration).toBeUndefined();
    template().hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: siteBucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('CloudFront reads the bucket through origin access control only: no identity, no public principal', () => {
    const oac = onlyResource(template(), 'AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const s3Origin = (distribution().Origins as Record<string, unknown>[]).find(
      (origin) => 'S3OriginConfig' in origin,
    )!;
    expect(s3Origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oac.id, 'Id'] });
    expect(s3Origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(resourcesOf(template(), 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual({});
    const statements = (
      Object.values(resourcesOf(template(), 'AWS::S3::BucketPolicy')).find(
        (policy) => JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: siteBucketId() }),
      )!.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }
    ).Statement;
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
      }),
    ]);
  });

  test('viewers get HTTPS only (HTTP redirected on the app, refused on the API), over HTTP/2 and 3, with logging', () => {
    const config = distribution();
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https' });
    expect(config.HttpVersion).toBe('http2and3');
    expect(config.Logging).toMatchObject({ Prefix: 'distribution/' });
    for (const behavior of config.CacheBehaviors as Record<string, unknown>[]) {
      expect(behavior.ViewerProtocolPolicy).toBe('https-only');
    }
  });

  test('the API is served beside the app: one uncached behaviour per first segment of the route catalogue', () => {
    const segments = [...new Set(ROUTES.map((route) => route.path.split('/')[1]))];
    const behaviors = distribution().CacheBehaviors as Record<string, unknown>[];
    expect(behaviors.map((behavior) => behavior.PathPattern)).toEqual(segments.map((segment) => `/${segment}*`));
    for (const behavior of behaviors) {
      expect(behavior).toMatchObject({
        // Managed CachingDisabled and AllViewerExceptHostHeader (Authorization and the query string reach the API).
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      });
    }
    const apiOrigin = (distribution().Origins as Record<string, unknown>[]).find(
      (origin) => 'CustomOriginConfig' in origin,
    )!;
    expect(apiOrigin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginReadTimeout: 30 });
    const apiDomain = stageSetting(stage, 'apiDomain' as never) as { name: string } | undefined;
    if (apiDomain) {
      // The API's own domain (whose root maps the stage): execute-api may then be off.
      expect(apiOrigin.DomainName).toBe(apiDomain.name);
      expect(apiOrigin.OriginPath).toBeUndefined();
      expect(apiOrigin.CustomOriginConfig).toMatchObject({ OriginSSLProtocols: ['TLSv1.2'] });
    } else {
      expect(JSON.stringify(apiOrigin.OriginPath)).toContain(logicalId(synth(), synth().stack.api.api.deploymentStage));
    }
  });

  test("the app's CSP: scripts, styles and images from itself only; connections to itself and the user pool only", () => {
    const policy = onlyResource(template(), 'AWS::CloudFront::ResponseHeadersPolicy').Properties
      .ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, Record<string, unknown>> };
    const headers = policy.SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy!.ContentSecurityPolicy);
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toMatch(/connect-src 'self' https:\/\/cognito-idp\./);
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31536000, Override: true });
    expect(headers.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(headers.ContentTypeOptions).toMatchObject({ Override: true });
  });

  test("the app's callback and sign-out paths are the user-app client's (the local provider registers the same)", () => {
    expect(USER_APP_CLIENT.callbackPaths).toContain(CALLBACK_PATH);
    expect(USER_APP_CLIENT.logoutPaths).toContain(APP_BASE_PATH);
  });

  test("the user-app client sends the code back to the app's callback and signs out to the app", () => {
    const userApp = Object.values(resourcesOf(template(), 'AWS::Cognito::UserPoolClient')).find(
      (client) => client.Properties.ClientName === 'user-app',
    )!.Properties;
    expect(userApp.CallbackURLs).toContainEqual(appUrl('/app/callback'));
    expect(userApp.LogoutURLs).toContainEqual(appUrl('/app/'));
  });

  test("the built app and a config.json naming the pool's issuer and the user-app client are deployed to /app/", () => {
    const deployment = onlyResource(template(), 'Custom::CDKBucketDeployment').Properties;
    expect(deployment.DestinationBucketKeyPrefix).toBe('app/');
    expect(deployment.DistributionPaths).toEqual(['/app/*']);
    expect(deployment.SourceMarkers).toHaveLength(2);
    const config = JSON.stringify(deployment.SourceMarkers);
    expect(config).toContain('cognito-idp');
    expect(config).toContain(logicalId(synth(), synth().stack.identity.userAppClient));
  });

  test("sign-out can revoke: config.json names the hosted UI's /oauth2/revoke, the CSP allows it, the client enables it", () => {
    const deployment = onlyResource(template(), 'Custom::CDKBucketDeployment').Properties;
    const domainId = logicalId(synth(), synth().stack.identity.domain);
    const markers = JSON.stringify(deployment.SourceMarkers);
    // The hosted UI's domain (a token resolved at deploy time), then the revocation path.
    expect(markers).toMatch(new RegExp(`${domainId}.*\\.auth\\..*/oauth2/revoke`));
    const policy = onlyResource(template(), 'AWS::CloudFront::ResponseHeadersPolicy').Properties
      .ResponseHeadersPolicyConfig as { SecurityHeadersConfig: { ContentSecurityPolicy: Record<string, unknown> } };
    const csp = JSON.stringify(policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toMatch(new RegExp(`connect-src 'self' https://cognito-idp\\..* https://.*${domainId}.*\\.auth\\.`));
    const userApp = Object.values(resourcesOf(template(), 'AWS::Cognito::UserPoolClient')).find(
      (client) => client.Properties.ClientName === 'user-app',
    )!.Properties;
    expect(userApp.EnableTokenRevocation).toBe(true);
  });
});

const prodStage = () => (cdkJsonContext().stages as Record<string, Record<string, unknown>>).prod;

describe('the web app on a domain of its own (stage setting webAppDomain)', () => {
  const domain = {
    name: 'app.payments-tracker.example',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0b7b7f0e-3c1c-4a35-9a4f-3d1d0f6f1b2a',
  };
  const synth = synthStage('prod', { stages: { prod: { ...prodStage(), webAppDomain: domain } } });
  const distribution = () =>
    onlyResource(synth.template, 'AWS::CloudFront::Distribution').Properties.DistributionConfig as Record<
      string,
      unknown
    >;

  test('the distribution answers on the domain with its certificate, TLS 1.2 at least (SNI)', () => {
    expect(distribution()).toMatchObject({
      Aliases: [domain.name],
      ViewerCertificate: {
        AcmCertificateArn: domain.certificateArn,
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      },
    });
  });

  test("the user-app client returns to the domain, and the stack's URL names it", () => {
    const userApp = Object.values(resourcesOf(synth.template, 'AWS::Cognito::UserPoolClient')).find(
      (client) => client.Properties.ClientName === 'user-app',
    )!.Properties;
    expect(userApp.CallbackURLs).toContain(`https://${domain.name}${CALLBACK_PATH}`);
    expect(userApp.LogoutURLs).toContain(`https://${domain.name}${APP_BASE_PATH}`);
    expect(synth.stack.webApp.url).toBe(`https://${domain.name}`);
  });

  test('cdk-nag finds nothing to acknowledge about TLS: clean without the default-certificate acknowledgment (CFR4)', () => {
    expect(acknowledgmentsIn(synth.app).map(({ id }) => id)).not.toContain('AwsSolutions-CFR4');
    expect(unacknowledgedFindings(synth.app)).toEqual([]);
  });
});

describe('the built web app at synth', () => {
  /** A stack with the web app alone, synthesized; answers the assembly and the folder the app was built into. */
  const synthWebApp = (context: Record<string, unknown> = {}) => {
    const app = new App({ context });
    const stack = new Stack(app, 'WebAppOnly');
    new WebApp(stack, 'WebApp').publish({ issuer: 'https://issuer.example', clientId: 'client', scope: 'openid' }, []);
    const staging = stack.node
      .findAll()
      .find((child): child is AssetStaging => child instanceof AssetStaging && isWebAppBuild(child.sourcePath));
    return { assembly: app.synth().directory, buildFolder: staging!.sourcePath };
  };
  const isWebAppBuild = (sourcePath: string) => path.basename(sourcePath).startsWith('payments-web-app-');

  test('is staged into the cloud assembly, and the folder it was built in is not left behind', () => {
    const { assembly, buildFolder } = synthWebApp();
    expect(existsSync(buildFolder)).toBe(false);
    const staged = readdirSync(assembly).filter((name) => existsSync(path.join(assembly, name, 'index.html')));
    expect(staged).toHaveLength(1);
    expect(readdirSync(path.join(assembly, staged[0]!)).sort()).toEqual([
      'app.css',
      'app.js',
      'favicon.svg',
      'index.html',
    ]);
  });

  test('with asset staging off (SAM), the folder stays: the assembly points at it', () => {
    const { buildFolder } = synthWebApp({ 'aws:cdk:disable-asset-staging': true });
    expect(readdirSync(buildFolder).sort()).toEqual(['app.css', 'app.js', 'favicon.svg', 'index.html']);
    rmSync(buildFolder, { recursive: true, force: true });
  });
});
