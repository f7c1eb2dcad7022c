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

export class SfnError extends Error {
  constructor(
    readonly errorName: SfnErrorName,
    message: string,
    /** AWS answers 400 for a bad request, 403 for a caller it does not admit. */
    readonly statusCode: 400 | 403 = 400,
  ) {
    super(message);
    this.name = 'SfnError';
  }
}
