import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import type { ProblemName } from '#contract/problems';
import { InvalidJsonError, InvalidRequestError } from '#domain/errors';

/**
 * The request `parse` makes of a route's body, or the 400 that refuses it: the route's InvalidRequestError (whose
 * name is `problem`) naming each field, never a value; InvalidJsonError as InvalidJson. Anything else is rethrown.
 */
export const parsedOrProblem = <Request>(
  requestId: string,
  problem: ProblemName,
  parse: () => Request,
): Request | HttpResponse => {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidRequestError && error.name === problem)
      return problemResponse(problem, requestId, error.message, {}, error.fieldErrors);
    if (error instanceof InvalidJsonError) return problemResponse('InvalidJson', requestId, error.message);
    throw error;
  }
};
