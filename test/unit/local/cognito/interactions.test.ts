import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type Provider from 'oidc-provider';
import { interactionHandler } from '#local/cognito/interactions';
import { LOCAL_PASSWORD } from '#local/cognito/local-accounts';

/** A form POST as the sign-in page sends it. */
const formPost = (url: string, form: Record<string, string>): IncomingMessage =>
  Object.assign(Readable.from([Buffer.from(new URLSearchParams(form).toString())]), {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  }) as unknown as IncomingMessage;

const response = (): ServerResponse =>
  ({ headersSent: false, writeHead: jest.fn(), end: jest.fn() }) as unknown as ServerResponse;

describe('the sign-in interaction', () => {
  test('logs the sign-in without the user id (the account’s sub) or the e-mail address', async () => {
    const sub = randomUUID();
    const email = `${randomUUID()}@example.com`;
    const logged: Array<Record<string, unknown>> = [];
    const interactionFinished = jest.fn(async () => undefined);
    const handle = interactionHandler({
      provider: () => ({ interactionFinished }) as unknown as Provider,
      accounts: {
        signIn: async () => ({ sub, email, createdAt: new Date().toISOString() }),
        bySub: async () => undefined,
      },
      log: (entry) => logged.push(entry),
    });

    await handle(
      formPost('/interaction/abc/login', { email, password: LOCAL_PASSWORD }),
      response(),
      '/interaction/abc/login',
    );

    // The provider learns the account; the log only that someone signed in.
    expect(interactionFinished).toHaveBeenCalledWith(
      expect.anything(),
      expect.anything(),
      { login: { accountId: sub } },
      expect.anything(),
    );
    expect(logged).toEqual([{ message: 'Signed in' }]);
    const text = JSON.stringify(logged);
    for (const personal of [sub, email])
      expect({ personal, found: text.includes(personal) }).toEqual({ personal, found: false });
  });
});
