import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const e2eDir = path.resolve(here, '../..');
export const repoRoot = path.resolve(e2eDir, '..');
export const artifactsDir = path.join(e2eDir, 'artifacts');
export const screenshotsDir = path.join(artifactsDir, 'screenshots');

/** Where a test saves a named screenshot of a screen (e2e/artifacts/screenshots/<name>). */
export const screenshotPath = (name: string) => path.join(screenshotsDir, name);
