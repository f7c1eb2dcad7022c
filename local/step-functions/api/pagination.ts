import { SfnError } from '#local/step-functions/api/errors';

/** AWS's page size when maxResults is absent or 0, and its largest. */
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

export const pageSize = (maxResults: unknown): number => {
  if (maxResults === undefined || maxResults === null || maxResults === 0) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(maxResults) || (maxResults as number) < 0 || (maxResults as number) > MAX_PAGE_SIZE) {
    throw new SfnError('ValidationException', `maxResults must be an integer from 0 to ${MAX_PAGE_SIZE}`);
  }
  return maxResults as number;
};

/**
 * An opaque nextToken: where the next page starts, bound to the listing it came from (another
 * listing's token, or anything made up, is an InvalidToken as in AWS).
 */
export const encodeToken = (scope: string, position: string): string =>
  Buffer.from(JSON.stringify({ scope, position })).toString('base64url');

export const decodeToken = (token: unknown, scope: string): string | undefined => {
  if (token === undefined || token === null) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as {
      scope?: unknown;
      position?: unknown;
    };
    if (decoded.scope === scope && typeof decoded.position === 'string') return decoded.position;
  } catch {
    // Falls through to the error below.
  }
  throw new SfnError('InvalidToken', 'Invalid Token: the nextToken does not belong to this request');
};

/**
 * One page of `items` (already in order), starting after the item whose key is `after`. A listing
 * whose members can leave it between pages (an execution that stops running leaves a RUNNING
 * filter) passes `comesAfter`, so the next page starts where that item was, as AWS's tokens do.
 */
export const page = <Item>(
  items: readonly Item[],
  keyOf: (item: Item) => string,
  options: {
    scope: string;
    nextToken: unknown;
    maxResults: unknown;
    indexOfKey?: (key: string) => number;
    comesAfter?: (item: Item, key: string) => boolean;
  },
): { items: Item[]; nextToken?: string } => {
  const size = pageSize(options.maxResults);
  const after = decodeToken(options.nextToken, options.scope);
  let start = 0;
  if (after !== undefined) {
    // A long history is paged through hundreds of times: where its key says, when it can say.
    const guess = options.indexOfKey?.(after) ?? -1;
    const item = items[guess];
    const index =
      item !== undefined && keyOf(item) === after ? guess : items.findIndex((candidate) => keyOf(candidate) === after);
    if (index >= 0) {
      start = index + 1;
    } else if (options.comesAfter) {
      const next = items.findIndex((candidate) => options.comesAfter!(candidate, after));
      start = next < 0 ? items.length : next;
    } else {
      throw new SfnError('InvalidToken', 'Invalid Token: the page it points at no longer exists');
    }
  }
  const slice = items.slice(start, start + size);
  const last = slice.at(-1);
  return start + size < items.length && last !== undefined
    ? { items: slice, nextToken: encodeToken(options.scope, keyOf(last)) }
    : { items: slice };
};
