import { SfnError } from '#local/step-functions/api/errors';

describe("the local Step Functions API's errors", () => {
  test("are named as AWS names them, the name the server answers as __type and the SDK's exception carries", () => {
    const error = new SfnError('ExecutionDoesNotExist', "Execution Does Not Exist: 'arn:x'");
    expect(error).toMatchObject({ name: 'ExecutionDoesNotExist', errorName: 'ExecutionDoesNotExist', statusCode: 400 });
    expect(error.message).toBe("Execution Does Not Exist: 'arn:x'");
    expect(error).toBeInstanceOf(Error);
  });

  test('keep what they were thrown for as their cause', () => {
    const cause = new SyntaxError('Unexpected token');
    expect(new SfnError('SerializationException', 'The request body is not JSON', 400, { cause }).cause).toBe(cause);
  });
});
