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
  | 'SerializationException';

export class SfnError extends Error {
  constructor(
    readonly errorName: SfnErrorName,
    message: string,
  ) {
    super(message);
    this.name = 'SfnError';
  }
}
