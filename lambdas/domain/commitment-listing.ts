import {
  type CommitmentCorrection,
  type CorrectionRequest,
  NEW_COMMITMENT,
  movedCommitmentId,
} from '#domain/commitment-correction';

/**
 * A customer's commitments as GET /commitments lists them: those of their latest report, with the
 * corrections made since applied, so the customer sees a correction at once; the next report run
 * rebuilds the months themselves. Pure: the handlers read the report and the corrections.
 */

export type HistoryStatus = 'kept' | 'missed' | 'pending' | 'none' | 'disputed';

/** What the listing reads of a reported commitment; the rest of it is passed through untouched. */
export interface ListedCommitment {
  commitmentId: string;
  currency: string;
  history?: { month: string; status: HistoryStatus }[];
  payments?: { id: string; timestamp: string; localDate?: string }[];
  /** The commitments merged into this one since the report was built. */
  mergedFrom?: string[];
  [field: string]: unknown;
}

export interface Listing {
  commitments: ListedCommitment[];
  /** Where each merged-away commitment went (followed to the end of a chain). */
  mergedInto: Record<string, string>;
}

/** Kept beats pending beats missed beats none: a month one of two halves kept was kept. */
const RANK: Record<HistoryStatus, number> = { none: 0, missed: 1, disputed: 2, pending: 3, kept: 4 };

const mergeHistories = (a: ListedCommitment['history'], b: ListedCommitment['history']) => {
  if (!a || !b) return a ?? b;
  const other = new Map(b.map((entry) => [entry.month, entry.status]));
  return a.map((entry) => {
    const status = other.get(entry.month) ?? 'none';
    return RANK[status] > RANK[entry.status] ? { month: entry.month, status } : entry;
  });
};

const resolve = (id: string, mergedInto: Record<string, string>): string => {
  let current = id;
  for (let hops = 0; mergedInto[current] !== undefined && hops < 1000; hops += 1) current = mergedInto[current]!;
  return current;
};

const applyMerge = (listing: Listing, from: string, into: string): Listing => {
  const source = listing.commitments.find((commitment) => commitment.commitmentId === from);
  const target = listing.commitments.find((commitment) => commitment.commitmentId === into);
  // Kept in order: a merge that a later state makes void (a race of two corrections) changes nothing.
  if (!source || !target || source === target || source.currency !== target.currency) return listing;
  const merged: ListedCommitment = {
    ...target,
    history: mergeHistories(target.history, source.history),
    payments: [...(target.payments ?? []), ...(source.payments ?? [])],
    mergedFrom: [...(target.mergedFrom ?? []), from, ...(source.mergedFrom ?? [])],
  };
  return {
    commitments: listing.commitments.filter((c) => c !== source).map((c) => (c === target ? merged : c)),
    mergedInto: { ...listing.mergedInto, [from]: into },
  };
};

const holderOf = (listing: Listing, paymentId: string): ListedCommitment | undefined =>
  listing.commitments.find((commitment) => commitment.payments?.some((payment) => payment.id === paymentId));

const applyMove = (listing: Listing, paymentId: string, into: string): Listing => {
  const holder = holderOf(listing, paymentId);
  const payment = holder?.payments?.find((candidate) => candidate.id === paymentId);
  if (!holder || !payment) return listing;
  const targetId =
    into === NEW_COMMITMENT
      ? movedCommitmentId(holder.currency, String(holder.payeeKey ?? ''), paymentId)
      : resolve(into, listing.mergedInto);
  if (holder.commitmentId === targetId) return listing;
  const target = listing.commitments.find((commitment) => commitment.commitmentId === targetId);
  if (target && target.currency !== holder.currency) return listing;
  const without = listing.commitments.map((c) =>
    c === holder ? { ...c, payments: c.payments?.filter((p) => p.id !== paymentId) } : c,
  );
  const received = target
    ? without.map((c) => (c === target ? { ...c, payments: [...(c.payments ?? []), payment] } : c))
    : [...without, { commitmentId: targetId, currency: holder.currency, payee: holder.payee, payments: [payment] }];
  return { ...listing, commitments: received };
};

/** The report's commitments with the corrections applied in order. */
export const applyCorrections = (
  commitments: readonly ListedCommitment[],
  corrections: readonly CommitmentCorrection[],
): Listing =>
  corrections.reduce<Listing>(
    (listing, correction) =>
      correction.kind === 'merge'
        ? applyMerge(
            listing,
            resolve(correction.from, listing.mergedInto),
            resolve(correction.into, listing.mergedInto),
          )
        : applyMove(listing, correction.paymentId, correction.into),
    { commitments: [...commitments], mergedInto: {} },
  );

/** A correction that names nothing of the customer's (404) or cannot be applied to what it names (409). */
export class CorrectionRefusedError extends Error {
  override readonly name = 'CorrectionRefused';
  constructor(
    readonly reason: 'not-found' | 'conflict',
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const find = (listing: Listing, id: string, field: string): ListedCommitment => {
  const found = listing.commitments.find((commitment) => commitment.commitmentId === id);
  if (found) return found;
  const into = listing.mergedInto[id];
  if (into !== undefined)
    throw new CorrectionRefusedError('conflict', field, `${id} was merged into ${resolve(id, listing.mergedInto)}`);
  throw new CorrectionRefusedError('not-found', field, `No commitment ${id} of yours`);
};

/**
 * Whether the request applies to the listing: throws CorrectionRefusedError if not. `paymentCurrency`
 * is the moved payment's (the handler has read it and checked it is the caller's).
 */
export const checkCorrection = (listing: Listing, request: CorrectionRequest, paymentCurrency?: string): void => {
  if (request.kind === 'merge') {
    if (request.from === request.into)
      throw new CorrectionRefusedError('conflict', 'into', 'A commitment cannot be merged into itself');
    const from = find(listing, request.from, 'from');
    const into = find(listing, request.into, 'into');
    if (from.currency !== into.currency)
      throw new CorrectionRefusedError('conflict', 'into', `${from.currency} and ${into.currency} are two commitments`);
    return;
  }
  if (request.into === NEW_COMMITMENT) return;
  const into = find(listing, request.into, 'into');
  if (holderOf(listing, request.paymentId) === into)
    throw new CorrectionRefusedError('conflict', 'into', `The payment is already in ${request.into}`);
  if (paymentCurrency !== undefined && into.currency !== paymentCurrency)
    throw new CorrectionRefusedError(
      'conflict',
      'into',
      `A ${paymentCurrency} payment cannot join a ${into.currency} commitment`,
    );
};

/**
 * The earliest month a correction changes (the report run rebuilds from it onwards): for a merge, the
 * first month either commitment has a payment in its history; for a move, the payment's own month.
 */
export const firstAffectedMonth = (
  listing: Listing,
  request: CorrectionRequest,
  paymentMonth: string | undefined,
  fallback: string,
): string => {
  if (request.kind === 'move') return paymentMonth ?? fallback;
  const months = [request.from, request.into]
    .flatMap((id) => listing.commitments.find((commitment) => commitment.commitmentId === id)?.history ?? [])
    .filter((entry) => entry.status !== 'none')
    .map((entry) => entry.month)
    .sort();
  return months[0] ?? fallback;
};
