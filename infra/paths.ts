import path from 'node:path';

/** The repository root: handler entries and ASL files are named relative to it in the shared contract. */
export const REPOSITORY_ROOT = path.resolve(__dirname, '..');
