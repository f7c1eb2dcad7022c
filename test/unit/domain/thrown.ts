import { type FieldError, InvalidJsonError, InvalidPaymentError } from '#domain/errors';

/** What `action` throws; fails the test when it throws nothing. */
export const thrownBy = (action: () => unknown): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but nothing was thrown');
};

/** The field errors of the InvalidPaymentError that `action` throws; fails the test on any other outcome. */
export const fieldErrorsOf = (action: () => unknown): FieldError[] => {
  const thrown = thrownBy(action);
  expect(thrown).toBeInstanceOf(InvalidPaymentError);
  // The ASL routes on the name, not the class.
  expect((thrown as Error).name).toBe('InvalidPayment');
  return (thrown as InvalidPaymentError).fieldErrors;
};

/** The fields named by the InvalidPaymentError that `action` throws. */
export const fieldsOf = (action: () => unknown): string[] => fieldErrorsOf(action).map((error) => error.field);

/** The detail of the InvalidJsonError that `action` throws; fails the test on any other outcome. */
export const invalidJsonDetailOf = (action: () => unknown): string => {
  const thrown = thrownBy(action);
  expect(thrown).toBeInstanceOf(InvalidJsonError);
  expect((thrown as Error).name).toBe('InvalidJson');
  return (thrown as InvalidJsonError).message;
};
