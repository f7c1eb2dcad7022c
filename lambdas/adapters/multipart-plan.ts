/**
 * How an object is assembled from pieces by S3 multipart upload (decision 0023): a piece already in S3 becomes an
 * UploadPartCopy (no bytes through the function) when it can stand as a part; S3 wants every part but the last to be
 * at least 5 MiB, so small pieces (the header, a small shard's part, the trailer) are gathered into one uploaded part,
 * taking the first bytes of the next large object by range when needed. Pure: the sink executes the plan.
 * Memory: a gathered part is under twice the minimum (pending < minimum, plus one piece < minimum).
 */

/** S3's minimum size of a multipart upload's part (all but the last). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

/** S3's most parts in one multipart upload. */
export const MAX_PARTS = 10_000;

export type Piece = { bytes: Buffer } | { key: string; size: number };

/** A byte range of an object: `end` exclusive. */
export interface ObjectRange {
  key: string;
  start: number;
  end: number;
}

export type Segment = { bytes: Buffer } | ObjectRange;

export type PlannedPart = { copy: ObjectRange } | { upload: Segment[] };

export const segmentBytes = (segment: Segment): number =>
  'bytes' in segment ? segment.bytes.length : segment.end - segment.start;

export const partBytes = (part: PlannedPart): number =>
  'copy' in part ? segmentBytes(part.copy) : part.upload.reduce((sum, segment) => sum + segmentBytes(segment), 0);

export class TooManyPartsError extends Error {
  constructor(readonly parts: number) {
    super(`${parts} parts: S3 takes at most ${MAX_PARTS} in one upload`);
    this.name = 'TooManyParts';
  }
}

class Planner {
  readonly parts: PlannedPart[] = [];
  private pending: Segment[] = [];
  private pendingBytes = 0;

  constructor(private readonly minimum: number) {}

  gather(segment: Segment): void {
    if (segmentBytes(segment) === 0) return;
    this.pending.push(segment);
    this.pendingBytes += segmentBytes(segment);
    if (this.pendingBytes >= this.minimum) this.flush();
  }

  flush(): void {
    if (this.pending.length > 0) this.parts.push({ upload: this.pending });
    this.pending = [];
    this.pendingBytes = 0;
  }

  object({ key, size }: { key: string; size: number }): void {
    let start = 0;
    if (this.pendingBytes > 0) {
      start = Math.min(size, this.minimum - this.pendingBytes);
      this.gather({ key, start: 0, end: start });
    }
    if (size - start >= this.minimum) this.parts.push({ copy: { key, start, end: size } });
    else this.gather({ key, start, end: size });
  }
}

/** The parts, in order, that make the pieces' concatenation. */
export const planMultipart = (pieces: readonly Piece[], minimum: number = MIN_PART_BYTES): PlannedPart[] => {
  const planner = new Planner(minimum);
  for (const piece of pieces) {
    if ('bytes' in piece) planner.gather(piece);
    else planner.object(piece);
  }
  planner.flush();
  if (planner.parts.length > MAX_PARTS) throw new TooManyPartsError(planner.parts.length);
  return planner.parts;
};
