const { statSync, readdirSync } = require('node:fs');
const path = require('node:path');
const TestSequencer = require('@jest/test-sequencer').default;

/** Layers whose files start processes (stacks, Chromium, the CDK CLI), in the order they should start. */
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
 * Jest's order, for a run without timings of its own (a fresh clone, CI): the slow layers first, their heaviest
 * files first, so that the two workers end together instead of one finishing a stack suite alone after the unit
 * files. Where jest has timings (a later run on the same machine), its own order (slowest first) stands.
 */
class SlowLayersFirst extends TestSequencer {
  sort(tests) {
    if (tests.every((test) => this.time(test) !== undefined)) return super.sort(tests);
    const rank = (test) => {
      const layer = SLOW_LAYERS.indexOf(layerOf(test));
      return layer === -1 ? SLOW_LAYERS.length : layer;
    };
    const weights = new Map(tests.map((test) => [test.path, weight(test)]));
    return [...tests].sort((a, b) => rank(a) - rank(b) || weights.get(b.path) - weights.get(a.path));
  }
}

module.exports = SlowLayersFirst;
