import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatFigure, markdownTable } from './stats';
import { REPOSITORY_ROOT } from '#contract/repository-root';

/**
 * Where a V8 CPU profile (`node --cpu-prof`) spent its time: self time by function and by
 * package, the two views that point at per-request work worth removing.
 * `tsx bench/cpu-profile.ts <file.cpuprofile> [top]` prints both tables.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** `aws-local-stepfunctions`, `@aws-sdk/client-dynamodb`, `lambdas/adapters`, or `(node)` / `(v8)` for the runtime. */
export const packageOf = (url: string): string => {
  if (url === '') return '(v8)';
  if (url.startsWith('node:')) return '(node)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scopeOrName, name] = url.slice(modules + 'node_modules/'.length).split('/');
    return scopeOrName!.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName!;
  }
  const repository = url.replace(/^file:\/\//, '');
  return path.dirname(path.relative(REPOSITORY_ROOT, repository));
};

const selfTimes = (profile: CpuProfile, keyOf: (node: ProfileNode) => string): SelfTime[] => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    const key = keyOf(byId.get(id)!);
    total.set(key, (total.get(key) ?? 0) + micros);
    all += micros;
  });
  return [...total]
    .map(([name, micros]) => ({ name, ms: micros / 1000, share: all === 0 ? 0 : micros / all }))
    .sort((a, b) => b.ms - a.ms);
};

const functionKey = ({ callFrame }: ProfileNode): string =>
  `${callFrame.functionName || '(anonymous)'} ${packageOf(callFrame.url)}${callFrame.url ? `/${path.basename(callFrame.url)}:${callFrame.lineNumber + 1}` : ''}`;

export const selfTimeByFunction = (profile: CpuProfile): SelfTime[] => selfTimes(profile, functionKey);

export const selfTimeByPackage = (profile: CpuProfile): SelfTime[] =>
  selfTimes(profile, ({ callFrame }) =>
    callFrame.url === '' ? `(v8) ${callFrame.functionName}` : packageOf(callFrame.url),
  );

export const selfTimeTable = (rows: readonly SelfTime[], top: number): string =>
  markdownTable(
    ['where', 'self ms', 'share'],
    rows.slice(0, top).map((row) => [row.name, formatFigure(row.ms), `${formatFigure(row.share * 100, 1)} %`]),
  );

if (require.main === module) {
  const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CpuProfile;
  const top = Number(process.argv[3] ?? 25);
  console.log(`Profile: ${formatFigure((profile.endTime - profile.startTime) / 1000)} ms\n`);
  console.log(`By package\n\n${selfTimeTable(selfTimeByPackage(profile), top)}\n`);
  console.log(`By function\n\n${selfTimeTable(selfTimeByFunction(profile), top)}`);
}
