// Filesystem locations the engine needs, resolved from this file so they hold whether the
// engine runs from src/ (tests, tsx) or dist/ (npm start): both sit two levels below the app.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** apps/engine */
export const engineRoot = path.resolve(here, '..');
/** The repository root (holds prisma/ and prisma.config.ts). */
export const repoRoot = path.resolve(engineRoot, '..', '..');
export const prismaConfigPath = path.join(repoRoot, 'prisma.config.ts');
export const migrationsDir = path.join(repoRoot, 'prisma', 'migrations');
export const defaultDataDir = path.join(repoRoot, '.data');
