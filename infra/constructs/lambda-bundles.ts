import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type OutputFile, buildSync } from 'esbuild';
import type { FunctionDefinition } from '#contract/functions';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { LAMBDA_BUILD_OPTIONS } from '../lambda-build-options';

/**
 * Every Lambda of a stack bundled by esbuild in one pass (decisions/0025): NodejsFunction ran one `npx esbuild`
 * process per function, each parsing the SDK again. The pass runs at the first asset CDK bundles and writes into
 * CDK's own bundling folders, so the bundles, their hashes and the template are what NodejsFunction made; a synth
 * that skips bundling (`aws:cdk:bundling-stacks`) never runs it.
 */
export class LambdaBundles {
  readonly #definitions: readonly FunctionDefinition[];
  /** The pass's files by function name, per folder the bundles are written beside (CDK's asset folder). */
  readonly #built = new Map<string, ReadonlyMap<string, readonly OutputFile[]>>();

  constructor(definitions: readonly FunctionDefinition[]) {
    this.#definitions = definitions;
  }

  /** The function's code: its bundle (index.js and index.js.map), an asset hashed by its content. */
  code(definition: FunctionDefinition): lambda.Code {
    if (!this.#definitions.includes(definition)) {
      throw new Error(`${definition.name} is not one of the functions these bundles were made for`);
    }
    return lambda.Code.fromAsset(REPOSITORY_ROOT, {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never pulled: the local bundling below always succeeds or throws.
        image: DockerImage.fromRegistry('dummy'),
        local: new OnePassBundle(definition.name, (outputDir) => this.write(definition.name, outputDir)),
      },
    });
  }

  private write(functionName: string, outputDir: string): void {
    const files = this.filesBeside(path.dirname(outputDir)).get(functionName);
    if (!files) throw new Error(`esbuild wrote no bundle for ${functionName}`);
    for (const file of files) writeFileSync(path.join(outputDir, path.basename(file.path)), file.contents);
  }

  /**
   * Built as if each bundle were at `<folder>/<name>/index.js`: the depth of CDK's `<folder>/bundling-temp-…`, so the
   * source maps' relative paths, and with them the bytes, are those of a bundle written there.
   */
  private filesBeside(folder: string): ReadonlyMap<string, readonly OutputFile[]> {
    const known = this.#built.get(folder);
    if (known) return known;
    const { outputFiles } = buildSync({
      ...LAMBDA_BUILD_OPTIONS,
      entryPoints: Object.fromEntries(
        this.#definitions.map((definition) => [
          `${definition.name}/index`,
          path.join(REPOSITORY_ROOT, definition.entry),
        ]),
      ),
      outdir: folder,
      write: false,
    });
    const byFunction = new Map<string, OutputFile[]>();
    for (const file of outputFiles) {
      const name = path.basename(path.dirname(file.path));
      byFunction.set(name, [...(byFunction.get(name) ?? []), file]);
    }
    this.#built.set(folder, byFunction);
    return byFunction;
  }
}

/**
 * One function's share of the pass. CDK keys its bundling cache on the options' JSON: the function's name is in it
 * (a private field is not), so two functions never share a bundle.
 */
class OnePassBundle implements ILocalBundling {
  readonly #write: (outputDir: string) => void;

  constructor(
    readonly functionName: string,
    write: (outputDir: string) => void,
  ) {
    this.#write = write;
  }

  tryBundle(outputDir: string): boolean {
    this.#write(outputDir);
    return true;
  }
}
