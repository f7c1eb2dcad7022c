/**
 * A progress bar on stderr with the rate so far: plain text, redrawn in place (`\r`) on a
 * terminal and printed as a line every few seconds when stderr is a file or a pipe.
 */
export const formatProgress = (label: string, done: number, total: number, elapsedMs: number, width = 30): string => {
  const fraction = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(fraction * width);
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)} % ${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} ${Math.round(rate).toLocaleString('en-GB')}/s ${(elapsedMs / 1000).toFixed(0)} s`;
};

export interface ProgressBar {
  update(done: number): void;
  finish(): void;
}

export const progressBar = (label: string, total: number, stream: NodeJS.WriteStream = process.stderr): ProgressBar => {
  const started = performance.now();
  const interactive = stream.isTTY === true;
  const redrawEveryMs = interactive ? 200 : 5_000;
  let lastDraw = -Infinity;
  let done = 0;
  const draw = (): void => {
    const line = formatProgress(label, done, total, performance.now() - started);
    stream.write(interactive ? `\r${line}` : `${line}\n`);
    lastDraw = performance.now();
  };
  return {
    update: (value) => {
      done = value;
      if (performance.now() - lastDraw >= redrawEveryMs) draw();
    },
    finish: () => {
      draw();
      if (interactive) stream.write('\n');
    },
  };
};
