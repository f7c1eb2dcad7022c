import type { CommitmentCorrection } from '#domain/commitment-correction';

/**
 * The customer's corrections of the grouping, as the report build applies them (the commitments
 * API stores and audits them). A merge sends every payment of `from`, past and later, to `into`;
 * a move sends one payment, and the later payments with its payee key, to `into` (a commitment
 * id, or `new`: a commitment of its own).
 */

export interface CorrectionsIndex {
  /** The commitment an id ends up in after every merge (chains followed; a loop stops where it closes). */
  resolve: (commitmentId: string) => string;
  /** Payment id to the commitment it was moved into (the latest move wins). */
  moves: ReadonlyMap<string, string>;
}

export const correctionsIndex = (corrections: readonly CommitmentCorrection[]): CorrectionsIndex => {
  const inOrder = [...corrections].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const merged = new Map<string, string>();
  const moves = new Map<string, string>();
  for (const correction of inOrder) {
    if (correction.kind === 'merge') {
      if (correction.from !== correction.into) merged.set(correction.from, correction.into);
    } else moves.set(correction.paymentId, correction.into);
  }
  const resolve = (commitmentId: string): string => {
    const seen = new Set<string>();
    let id = commitmentId;
    while (merged.has(id) && !seen.has(id)) {
      seen.add(id);
      id = merged.get(id)!;
    }
    return id;
  };
  return { resolve, moves };
};
