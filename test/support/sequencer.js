const { statSync, readdirSync } = require('node:fs');
const path = require('node:path');
const TestSequencer = require('@jest/test-sequencer').default;

/** Layers whose files start processes (stacks, Chromium, the CDK CLI) or run report workflows in process. */
const SLOW_LAYERS = ['e2e', 'infra', 'workflow'];

const layerOf = (test) => path.basename(path.dirname(path.relative(test.context.config.rootDir, test.path)));

/** A gathering file (chromium.test.ts, templates.test.ts) weighs what it gathers: the folder beside it of its name. */
const weight = (test) => {
  const gathered = test.path.replace(/\.test\.ts$/, '');
  let size = statSync(test.path).size;
  try {
    for (const entry of readdirSync(gathered)) size += statSync(path.join(gathered, entry)).size;
  } catch {
    // Not a gathering file.
  }
  return size;
};

/**
 * Jest's order, for a run without timings of its own (a fresh clone, CI): the slow layers' files first, heaviest
 * first, taken from each layer in turn (an e2e file, an infra file, a workflow file, the next e2e file...), then the
 * unit files. Three files run at once on two cores: an e2e file spends much of its time waiting on its stack or
 * Chromium, a workflow or infra file computes in its worker, so a mix keeps both cores busy; three e2e files at
 * once contended for them (stacks, DynamoDB Locals, browsers) and idled together. Fresh clones here: 424 and 435 s
 * of jest (884-890 CPU-s for the whole .ci/run) with the layers one after another, 375-422 s (780-854 CPU-s, three
 * runs) interleaved.
 * Where jest has timings (a later run on the same machine), its own order (slowest first) stands.
 */
class SlowLayersInterleaved extends TestSequencer {
  sort(tests) {
    if (tests.every((test) => this.time(test) !== undefined)) return super.sort(tests);
    const weights = new Map(tests.map((test) => [test.path, weight(test)]));
    const byWeight = (a, b) => weights.get(b.path) - weights.get(a.path);
    const queues = SLOW_LAYERS.map((layer) => tests.filter((test) => layerOf(test) === layer).sort(byWeight));
    const interleaved = [];
    while (queues.some((queue) => queue.length > 0))
      for (const queue of queues) if (queue.length > 0) interleaved.push(queue.shift());
    const rest = tests.filter((test) => !SLOW_LAYERS.includes(layerOf(test))).sort(byWeight);
    return [...interleaved, ...rest];
  }
}

module.exports = SlowLayersInterleaved;
