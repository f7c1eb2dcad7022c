import type { ConsentState } from '#domain/commitment-consent';
import type { KindSource } from '#domain/commitment-kind';
import { minorUnits } from '#domain/currencies';
import { cycleOf, dayInCycle, learnDueDay, unpaidStatus } from '#domain/commitment-cycles';
import { type MatchCandidate, matchCommitment } from '#domain/commitment-match';
import { correctionsIndex } from '#domain/commitment-corrections';
import { type CommitmentCorrection, NEW_COMMITMENT, movedCommitmentId } from '#domain/commitment-correction';
import { formatMinorUnits, toExactAmount } from '#domain/money';
import { nextMonth, previousMonth } from '#domain/month';
import type { Payee, PayeeKind } from '#domain/payee';
import { payeeKey } from '#domain/payee-key';
import { type ReportablePayment, submittedOnBehalf } from '#domain/payment-record';
import type { Dispute } from '#domain/dispute';
import { type ReversalMark, reversalMark } from '#domain/payment-reversal';
import { type DisputedFacts, markDisputes } from '#domain/dispute-marks';
import {
  type CycleStatus,
  type HistoryMonth,
  historyOf,
  mergeHistories,
  paymentHistoryProfile,
  streakOf,
} from '#domain/payment-history';

/**
 * A customer's monthly report for the credit file: each commitment (a payee of theirs, in one
 * currency, recurring monthly) with this month's cycle, its streak and its 24-month history.
 * Pure: the report run reads the payments and the previous month's report (or, for a first
 * build, up to 24 months of payments) and stores the result. Rules: decision 0015.
 */

/** A stored payment as the report reads it; `localDate` and `payee` are absent on payments stored before they were kept. */
export type CommitmentPayment = ReportablePayment;

/** One payment as the report cites it, so an auditor can trace each figure to its submission. */
export interface ReportedPayment {
  id: string;
  timestamp: string;
  /** The customer's date of the payment (`YYYY-MM-DD`, in the offset the client sent). */
  localDate: string;
  amount: string;
  /** Token `client_id` of the app that submitted it. */
  clientId: string;
  /** True when a trusted integration submitted it for the user (on-behalf scope), not the user's own token. */
  onBehalf: boolean;
  /** Present when the bank returned or reversed it (decisions/0019): cited, never counted as kept. */
  reversal?: ReversalMark;
}

export interface Commitment extends Partial<DisputedFacts> {
  /** Stable id across months: `GBP#puregym`, `GBP#apple bill#499` (a second one of a brand), `GBP#ref#<mandate>`. */
  commitmentId: string;
  /** The payee as its latest payment named it (the integration's name, else the narrative). */
  payee: string;
  /** The payee key of its narratives (decision 0015). */
  payeeKey: string;
  kind: PayeeKind | null;
  /** Where `kind` came from (decision 0024): the integration's `payee.kind`, or the customer's choice. */
  kindSource?: KindSource;
  currency: string;
  /** This cycle's payments summed exactly, with the currency's minor-unit digits (zero when none). */
  amount: string;
  /**
   * What a cycle is expected to cost: the latest paid cycle's total (Metro 2's Scheduled Monthly
   * Payment, and what a missed cycle leaves unpaid); absent on reports built before it was kept.
   */
  scheduledAmount?: string;
  /** Day of the month the cycle is due (a shorter month's last day stands for 29 to 31). */
  dueDay: number;
  /** Local date of its latest payment. */
  lastPaidOn: string;
  /** Kept cycles in a row up to this month (a pending month neither counts nor ends it). */
  streak: number;
  /** 24 months, [0] the report month. */
  history: HistoryMonth[];
  /** The history as Metro 2's 24-byte Payment History Profile. */
  paymentHistoryProfile: string;
  /** The distinct client ids behind this cycle's figure, sorted: its provenance for the credit bureau. */
  clientIds: string[];
  /** True when any of this cycle's payments was submitted with the user's own token. */
  selfReported: boolean;
  /** The payments counted for this cycle. */
  payments: ReportedPayment[];
  /** The customer's consent as of the build (issue 22, decision 0021); absent on reports built before it was kept. */
  consent?: ConsentState;
  /** This cycle's payments the bank returned or reversed: cited beside `payments`, counted for nothing (decisions/0019). */
  reversedPayments?: ReportedPayment[];
  /** The months of the 24 with a reversed payment, oldest first (the cycle it would have kept). */
  reversedMonths?: string[];
}

/** A payment of this month counted for the next month's cycle (paid early over the month's end). */
export interface AheadPayment extends ReportedPayment {
  commitmentId: string;
}

/** A customer's move: later payments with this payee key go to `into`. */
export interface PayeeRoute {
  currency: string;
  payeeKey: string;
  into: string;
}

export interface MonthlyReport {
  userId: string;
  month: string;
  /** Payments dated in the month. */
  payments: number;
  /** When this version of the report was built (a late payment rebuilds it). */
  builtAt: string;
  commitments: Commitment[];
  /** Carried to the next month's report, which counts them. */
  aheadPayments: AheadPayment[];
  payeeRoutes: PayeeRoute[];
}

/** A commitment while a report is being built. */
interface Working {
  commitmentId: string;
  payeeKey: string;
  currency: string;
  kind: PayeeKind | null;
  payee: string;
  dueDay: number;
  lastPaidOn: string;
  lastAmountMinor: bigint | undefined;
  /** The latest paid cycle's total. */
  scheduledMinor: bigint | undefined;
  explicit: boolean;
  /** The statuses of the months before this one. */
  past: Map<string, CycleStatus>;
  /** The day (in its cycle) the previous cycle was first paid, when it was. */
  previousPaidDay: number | undefined;
  cycle: ReportedPayment[];
  /** The latest payment's hint, which names the payee when it says. */
  hint: Payee | undefined;
  /** This cycle's reversed payments, and the months of any reversed payment so far. */
  reversed: ReportedPayment[];
  reversedMonths: Set<string>;
}

export const localDateOf = (payment: Pick<CommitmentPayment, 'localDate' | 'timestamp'>): string =>
  payment.localDate ?? payment.timestamp.slice(0, 10);

const unitsOf = (currency: string): number => {
  const units = minorUnits(currency);
  if (units === undefined) throw new RangeError(`Unknown currency ${currency} in a stored payment`);
  return units;
};

const minorOf = (amount: string, currency: string): bigint => {
  const exact = toExactAmount(amount, unitsOf(currency));
  if (!exact.ok) throw new RangeError(`Not an amount of ${currency}: ${amount}`);
  return BigInt(exact.amountMinor);
};

const cite = (payment: CommitmentPayment): ReportedPayment => ({
  id: payment.id,
  timestamp: payment.timestamp,
  localDate: localDateOf(payment),
  amount: payment.amount,
  clientId: payment.clientId,
  onBehalf: submittedOnBehalf(payment),
  ...(payment.reversal ? { reversal: reversalMark(payment.reversal) } : {}),
});

const byLocalDate = (a: CommitmentPayment, b: CommitmentPayment): number => {
  const [x, y] = [`${localDateOf(a)}#${a.timestamp}#${a.id}`, `${localDateOf(b)}#${b.timestamp}#${b.id}`];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** A report built before commitments had ids and histories: rebuilt from payments instead. */
export const isCurrentReport = (report: Pick<MonthlyReport, 'commitments'>): boolean =>
  report.commitments.every((commitment) => typeof commitment.commitmentId === 'string' && commitment.history);

/** A carried commitment's scheduled amount: as its report kept it, else its last paid cycle's total. */
const scheduledOf = (commitment: Commitment): bigint | undefined => {
  if (commitment.scheduledAmount !== undefined) return minorOf(commitment.scheduledAmount, commitment.currency);
  if (commitment.payments.length === 0) return undefined;
  return minorOf(commitment.amount, commitment.currency);
};

const fromPrevious = (commitment: Commitment, month: string, resolve: (id: string) => string): Working => {
  const last = commitment.payments.at(-1);
  const first = commitment.payments[0];
  return {
    commitmentId: resolve(commitment.commitmentId),
    payeeKey: commitment.payeeKey,
    currency: commitment.currency,
    // The customer's choice is applied afresh at each build (withKindChoices): only an integration's is carried.
    kind: commitment.kindSource === 'customer' ? null : commitment.kind,
    payee: commitment.payee,
    dueDay: commitment.dueDay,
    lastPaidOn: commitment.lastPaidOn,
    lastAmountMinor: last ? minorOf(last.amount, commitment.currency) : undefined,
    scheduledMinor: scheduledOf(commitment),
    explicit: commitment.commitmentId.includes('#ref#'),
    past: new Map(commitment.history.map(({ month: at, status }) => [at, status])),
    previousPaidDay: first ? dayInCycle(first.localDate, month) : undefined,
    cycle: [],
    hint: undefined,
    reversed: [],
    reversedMonths: new Set(commitment.reversedMonths ?? []),
  };
};

/** Two commitments the customer merged: the histories combine, the later payment's facts win. */
const combine = (into: Working, from: Working): Working => {
  const later = from.lastPaidOn > into.lastPaidOn ? from : into;
  return {
    ...into,
    past: mergeHistories(
      [...into.past].map(([month, status]) => ({ month, status })),
      [...from.past].map(([month, status]) => ({ month, status })),
    ),
    lastPaidOn: later.lastPaidOn,
    lastAmountMinor: later.lastAmountMinor,
    scheduledMinor: later.scheduledMinor ?? into.scheduledMinor ?? from.scheduledMinor,
    previousPaidDay: into.previousPaidDay ?? from.previousPaidDay,
    cycle: [...into.cycle, ...from.cycle],
    reversed: [...into.reversed, ...from.reversed],
    reversedMonths: new Set([...into.reversedMonths, ...from.reversedMonths]),
  };
};

/** The previous report's commitments, ahead payments and routes, with the customer's merges applied. */
const carryForward = (
  previous: MonthlyReport | undefined,
  resolve: (id: string) => string,
): { working: Map<string, Working>; routes: PayeeRoute[] } => {
  const working = new Map<string, Working>();
  if (!previous) return { working, routes: [] };
  for (const commitment of previous.commitments) {
    const carried = fromPrevious(commitment, previous.month, resolve);
    const held = working.get(carried.commitmentId);
    working.set(carried.commitmentId, held ? combine(held, carried) : carried);
  }
  for (const ahead of previous.aheadPayments ?? []) {
    const { commitmentId, ...payment } = ahead;
    const commitment = working.get(resolve(commitmentId));
    if (commitment && payment.reversal) markReversed(commitment, nextMonth(previous.month), payment);
    else commitment?.cycle.push(payment);
  }
  const routes = (previous.payeeRoutes ?? []).map((route) => ({ ...route, into: resolve(route.into) }));
  return { working, routes };
};

export { type CommitmentCorrection };

interface BuildContext {
  month: string;
  working: Map<string, Working>;
  routes: PayeeRoute[];
  moves: ReadonlyMap<string, string>;
  resolve: (id: string) => string;
}

const freshId = (context: BuildContext, base: string, amountMinor: bigint): string => {
  if (!context.working.has(base)) return base;
  const priced = `${base}#${amountMinor}`;
  let id = priced;
  for (let n = 2; context.working.has(id); n += 1) id = `${priced}#${n}`;
  return id;
};

/** The commitment a payment belongs to: the customer's move, the integration's reference, a route, then the payee key. */
const identify = (context: BuildContext, payment: CommitmentPayment, key: string, amountMinor: bigint): string => {
  const { currency } = payment;
  const moved = context.moves.get(payment.id);
  if (moved !== undefined) {
    const into = moved === NEW_COMMITMENT ? movedCommitmentId(currency, key, payment.id) : moved;
    context.routes = [
      ...context.routes.filter((route) => route.currency !== currency || route.payeeKey !== key),
      { currency, payeeKey: key, into },
    ];
    return context.resolve(into);
  }
  const reference = payment.payee?.reference;
  if (reference !== undefined) return context.resolve(`${currency}#ref#${reference}`);
  const route = context.routes.find((held) => held.currency === currency && held.payeeKey === key);
  if (route) return context.resolve(route.into);
  // The payee key's own commitments, and the one its first commitment was merged into.
  const merged = context.resolve(`${currency}#${key}`);
  const candidates: MatchCandidate[] = [...context.working.values()].filter(
    (held) => held.currency === currency && !held.explicit && (held.payeeKey === key || held.commitmentId === merged),
  );
  const match = matchCommitment(candidates, { amountMinor, localDate: localDateOf(payment) });
  return match ? match.commitmentId : context.resolve(freshId(context, `${currency}#${key}`, amountMinor));
};

const startCommitment = (id: string, payment: CommitmentPayment, key: string, month: string): Working => ({
  commitmentId: id,
  payeeKey: key,
  currency: payment.currency,
  kind: null,
  payee: payment.description,
  dueDay: learnDueDay(undefined, [dayInCycle(localDateOf(payment), month)]),
  lastPaidOn: localDateOf(payment),
  lastAmountMinor: undefined,
  scheduledMinor: undefined,
  explicit: id.includes('#ref#'),
  past: new Map(),
  previousPaidDay: undefined,
  cycle: [],
  hint: undefined,
  reversed: [],
  reversedMonths: new Set(),
});

/**
 * A payment a few days late over the month's end keeps last month's cycle when last month's report
 * left it unpaid (pending, or missed when built after the tolerance); a cycle already kept, or
 * before the commitment began, leaves the payment to this month's.
 */
const keptLate = (commitment: Working, cycle: string, localDate: string): boolean => {
  const status = commitment.past.get(cycle);
  if (status !== 'pending' && status !== 'missed') return false;
  commitment.past.set(cycle, 'kept');
  commitment.previousPaidDay ??= dayInCycle(localDate, cycle);
  return true;
};

/** A reversed payment: cited for its cycle's month, never counted as kept (decisions/0019). */
const markReversed = (commitment: Working, cycle: string, payment: ReportedPayment): void => {
  commitment.reversed.push(payment);
  commitment.reversedMonths.add(cycle);
};

/**
 * Counts one payment of the month for its commitment's cycle, this month's or (paid early) the next; a reversed one
 * keeps no cycle, neither this month's nor, late, last month's.
 */
const count = (context: BuildContext, payment: CommitmentPayment, ahead: AheadPayment[]): void => {
  const key = payeeKey(payment.description);
  const amountMinor = BigInt(payment.amountMinor);
  const id = identify(context, payment, key, amountMinor);
  const commitment = context.working.get(id) ?? startCommitment(id, payment, key, context.month);
  context.working.set(id, commitment);
  const localDate = localDateOf(payment);
  const cycle = cycleOf(localDate, context.month, commitment.dueDay);
  const cited = cite(payment);
  if (cycle > context.month) ahead.push({ ...cited, commitmentId: id });
  else if (cited.reversal) markReversed(commitment, cycle, cited);
  else if (cycle === context.month || !keptLate(commitment, cycle, localDate)) commitment.cycle.push(cited);
  if (!cited.reversal && localDate >= commitment.lastPaidOn) {
    commitment.lastPaidOn = localDate;
    commitment.lastAmountMinor = amountMinor;
    commitment.payeeKey = key;
    commitment.payee = payment.payee?.name ?? payment.description;
    commitment.hint = payment.payee ?? commitment.hint;
  }
};

/** The commitment as reported, or undefined when none of its 24 months was kept (it has ended). */
const finish = (
  commitment: Working,
  month: string,
  builtAt: string,
  disputes: readonly Dispute[],
): Commitment | undefined => {
  const { cycle } = commitment;
  const dueDay =
    cycle.length === 0
      ? commitment.dueDay
      : learnDueDay(commitment.dueDay, [
          ...(commitment.previousPaidDay === undefined ? [] : [commitment.previousPaidDay]),
          dayInCycle(cycle[0]!.localDate, month),
        ]);
  const known = new Map<string, CycleStatus>();
  for (const [at, status] of commitment.past) {
    known.set(at, status === 'pending' ? unpaidStatus(at, dueDay, builtAt) : status);
  }
  known.set(month, cycle.length > 0 ? 'kept' : unpaidStatus(month, dueDay, builtAt));
  const disputed = markDisputes(known, month, disputes);
  const history = historyOf(month, known);
  if (!history.some(({ status }) => status === 'kept')) return undefined;
  const total = cycle.reduce((sum, payment) => sum + minorOf(payment.amount, commitment.currency), 0n);
  const scheduled = cycle.length > 0 ? total : commitment.scheduledMinor;
  return {
    commitmentId: commitment.commitmentId,
    payee: commitment.payee,
    payeeKey: commitment.payeeKey,
    kind: commitment.hint?.kind ?? commitment.kind,
    currency: commitment.currency,
    amount: formatMinorUnits(total, unitsOf(commitment.currency)),
    ...(scheduled === undefined ? {} : { scheduledAmount: formatMinorUnits(scheduled, unitsOf(commitment.currency)) }),
    dueDay,
    lastPaidOn: commitment.lastPaidOn,
    streak: streakOf(history),
    history,
    paymentHistoryProfile: paymentHistoryProfile(history),
    clientIds: [...new Set(cycle.map((payment) => payment.clientId))].sort(),
    selfReported: cycle.some((payment) => !payment.onBehalf),
    payments: cycle,
    ...disputed,
    reversedPayments: commitment.reversed,
    reversedMonths: [...commitment.reversedMonths].filter((at) => at >= history.at(-1)!.month && at <= month).sort(),
  };
};

/**
 * The report of `userId` for `month` from that month's payments (by local date), on top of the
 * previous month's report, with the customer's corrections applied. Deterministic but for
 * `builtAt` (which also decides pending from missed): a re-run rewrites the same figures.
 */
export const buildMonthlyReport = (
  userId: string,
  month: string,
  payments: readonly CommitmentPayment[],
  previous: MonthlyReport | undefined,
  builtAt: string,
  corrections: readonly CommitmentCorrection[] = [],
  disputes: readonly Dispute[] = [],
): MonthlyReport => {
  const { resolve, moves } = correctionsIndex(corrections);
  const disputesOf = (id: string): Dispute[] => disputes.filter((dispute) => resolve(dispute.commitmentId) === id);
  const base = previous && previous.month === previousMonth(month) && isCurrentReport(previous) ? previous : undefined;
  const { working, routes } = carryForward(base, resolve);
  const context: BuildContext = { month, working, routes, moves, resolve };
  const aheadPayments: AheadPayment[] = [];
  for (const payment of [...payments].sort(byLocalDate)) count(context, payment, aheadPayments);
  const commitments = [...working.values()]
    .map((commitment) => finish(commitment, month, builtAt, disputesOf(commitment.commitmentId)))
    .filter((commitment): commitment is Commitment => commitment !== undefined)
    .sort((a, b) => (a.commitmentId < b.commitmentId ? -1 : a.commitmentId > b.commitmentId ? 1 : 0));
  return { userId, month, payments: payments.length, builtAt, commitments, aheadPayments, payeeRoutes: context.routes };
};

/** One month of a user's stored payments, as a first build reads them. */
export interface PaymentsOfMonth {
  month: string;
  payments: readonly CommitmentPayment[];
}

/**
 * A first build: the report of `month` folded from up to 24 months of stored payments, oldest
 * first, so a customer who backfills gets their history at once. Only the last report is kept.
 */
export const buildReportFromHistory = (
  userId: string,
  month: string,
  months: readonly PaymentsOfMonth[],
  builtAt: string,
  corrections: readonly CommitmentCorrection[] = [],
  disputes: readonly Dispute[] = [],
): MonthlyReport => {
  const byMonth = new Map(months.map((entry) => [entry.month, entry.payments]));
  const first = [...byMonth.keys()].filter((at) => byMonth.get(at)!.length > 0).sort()[0] ?? month;
  let report: MonthlyReport | undefined;
  for (let at = first < month ? first : month; at <= month; at = nextMonth(at)) {
    report = buildMonthlyReport(userId, at, byMonth.get(at) ?? [], report, builtAt, corrections, disputes);
  }
  return report!;
};
