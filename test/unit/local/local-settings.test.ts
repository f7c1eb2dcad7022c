import path from 'node:path';
import { API_THROTTLE } from '#contract/throttling';
import { localSettings } from '#local/local-settings';
import { LOCAL_CHILD_EXECUTIONS_AT_ONCE } from '#local/step-functions/workflow-runner';

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

  test.each([
    [{ LOCAL_CHILD_EXECUTIONS_AT_ONCE: '0' }, 'LOCAL_CHILD_EXECUTIONS_AT_ONCE must be a positive integer'],
    [{ LOCAL_ACCESS_TOKEN_SECONDS: '1.5' }, 'LOCAL_ACCESS_TOKEN_SECONDS must be a positive whole number'],
    [{ SFN_PORT: '70000' }, 'SFN_PORT must be a port number'],
    [{ RATE_LIMIT_PER_USER_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_USER_PER_MINUTE'],
  ])('a bad value (%j) throws, naming its variable', (env, message) => {
    expect(() => localSettings(env)).toThrow(message);
  });
});
