import path from 'node:path';

/**
 * The repository's root directory, the one place it is computed: every tool, test and the local
 * stack resolve the repository's files (ASL, docs, node_modules/.bin) from it, wherever they sit.
 */
export const REPOSITORY_ROOT = path.resolve(__dirname, '..');
