// Whole-file writes that survive a crash: a temporary file, fsync, rename over the name; for a
// file newly created under a name, the directory's fsync makes the rename itself durable.
import { open, rename, writeFile } from 'node:fs/promises';

export async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, bytes);
  const fh = await open(tmp, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

export async function syncDirectory(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
