/**
 * The Step Functions API's errors, by the names AWS uses: the SDKs turn `__type` into their
 * typed exceptions (`ExecutionDoesNotExist`...), the CLI prints it.
 */
export type SfnErrorName =
  | 'ExecutionDoesNotExist'
  | 'StateMachineDoesNotExist'
  | 'InvalidArn'
  | 'InvalidName'
  | 'ExecutionAlreadyExists'
  | 'InvalidExecutionInput'
  | 'ValidationException'
  | 'InvalidToken'
  | 'StateMachineTypeNotSupported'
  | 'UnknownOperationException'
  | 'SerializationException'
  | 'AccessDeniedException';

/**
 * Its `name` is the AWS error name too (not `SfnError`): the SDK's exception for the server's
 * `__type` answer carries that name, so a log or a check reads the same name on either side.
 */
export class SfnError extends Error {
  override readonly name: SfnErrorName;

  constructor(
    readonly errorName: SfnErrorName,
    message: string,
    /** AWS answers 400 for a bad request, 403 for a caller it does not admit. */
    readonly statusCode: 400 | 403 = 400,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = errorName;
  }
}
