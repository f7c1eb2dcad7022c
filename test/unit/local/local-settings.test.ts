import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ENV } from '#contract/environment';
import { API_THROTTLE } from '#contract/throttling';
import { localSettings } from '#local/local-settings';
import { LOCAL_CHILD_EXECUTIONS_AT_ONCE } from '#local/step-functions/workflow-runner';
import { handlerEnvironment } from '#local/lambda/handler-environment';
import { localDynamoDbClient } from '#local/dynamodb/dynamodb-local';
import { localTableNames } from '#contract/tables';

describe('localSettings: every setting of npm start, read once', () => {
  test('an empty environment gives the documented defaults', () => {
    expect(localSettings({})).toMatchObject({
      port: 3000,
      sfnPort: 8083,
      dynamoDbPort: 8000,
      dynamoDbEndpoint: undefined,
      tablePrefix: '',
      dataDir: path.resolve('.data'),
      injectedFaults: [],
      childExecutionsAtOnce: LOCAL_CHILD_EXECUTIONS_AT_ONCE,
      accessTokenLifetimeSeconds: undefined,
      throttle: API_THROTTLE,
      logLevel: undefined,
      awsRegion: 'eu-west-2',
    });
  });

  test('each variable sets its value', () => {
    const settings = localSettings({
      PORT: '3100',
      LOCAL_CHILD_EXECUTIONS_AT_ONCE: '4',
      LOCAL_ACCESS_TOKEN_SECONDS: '2',
      RATE_LIMIT_PER_SECOND: '7',
      RATE_LIMIT_PER_USER_PER_MINUTE: '9',
    });
    expect(settings).toMatchObject({ port: 3100, childExecutionsAtOnce: 4, accessTokenLifetimeSeconds: 2 });
    expect(settings.throttle.ratePerSecond).toBe(7);
    expect(settings.userThrottle.burst).toBe(9);
  });

  test('LOG_LEVEL as set, empty as unset (each command then has its default); AWS_REGION as set', () => {
    expect(localSettings({ LOG_LEVEL: 'DEBUG', AWS_REGION: 'us-east-1' })).toMatchObject({
      logLevel: 'DEBUG',
      awsRegion: 'us-east-1',
    });
    expect(localSettings({ LOG_LEVEL: '' }).logLevel).toBeUndefined();
  });

  test('locally the handlers trace nothing: tracing off, and the X-Ray SDK the Tracer loads in manual mode (no async hook on every promise)', async () => {
    const env = handlerEnvironment('http://localhost:1', localTableNames(''), 'INFO', {});
    expect(env[ENV.traceEnabled]).toBe('false');
    // A process of its own (the SDK reads the variable once, at load): the test's environment without the variable,
    // then what handlerEnvironment gives.
    const rest = { ...process.env };
    delete rest.AWS_XRAY_MANUAL_MODE;
    const sdk = "require.resolve('aws-xray-sdk-core', { paths: [require.resolve('@aws-lambda-powertools/tracer')] })";
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-e', `process.stdout.write(String(require(${sdk}).isAutomaticMode()))`],
      { env: { ...rest, ...env } },
    );
    expect(stdout).toBe('false');
  });

  test("the handlers' region and the local DynamoDB clients' come from the same setting", async () => {
    const tables = localTableNames('');
    expect(handlerEnvironment('http://localhost:1', tables, 'INFO', { AWS_REGION: 'us-east-1' }).AWS_REGION).toBe(
      'us-east-1',
    );
    expect(handlerEnvironment('http://localhost:1', tables, 'INFO', {}).AWS_REGION).toBe('eu-west-2');
    const saved = process.env.AWS_REGION;
    try {
      delete process.env.AWS_REGION;
      expect(await localDynamoDbClient('http://localhost:1').config.region()).toBe('eu-west-2');
      process.env.AWS_REGION = 'ap-south-1';
      expect(await localDynamoDbClient('http://localhost:1').config.region()).toBe('ap-south-1');
    } finally {
      if (saved === undefined) delete process.env.AWS_REGION;
      else process.env.AWS_REGION = saved;
    }
  });

  test.each([
    [{ LOCAL_CHILD_EXECUTIONS_AT_ONCE: '0' }, 'LOCAL_CHILD_EXECUTIONS_AT_ONCE must be a positive integer'],
    [{ LOCAL_ACCESS_TOKEN_SECONDS: '1.5' }, 'LOCAL_ACCESS_TOKEN_SECONDS must be a positive whole number'],
    [{ SFN_PORT: '70000' }, 'SFN_PORT must be a port number'],
    [{ RATE_LIMIT_PER_USER_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_USER_PER_MINUTE'],
  ])('a bad value (%j) throws, naming its variable', (env, message) => {
    expect(() => localSettings(env)).toThrow(message);
  });
});
