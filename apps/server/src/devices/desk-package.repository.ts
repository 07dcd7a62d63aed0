import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';

export interface DeskPackageFile {
  path: string;
  fileName: string;
  version: string;
  size: number;
  modifiedMs: number;
}

const PACKAGE_FILE = /^leadline-desk-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.tgz$/;

/**
 * Where `npm run build` puts the desk daemon's package (dist/desk): next to the compiled server
 * (dist/apps/server/src/devices → dist/desk), or under dist/ when the server runs from its sources.
 */
export function findDeskPackageDir(): string | null {
  const candidates = [resolve(__dirname, '../../../../desk'), resolve(__dirname, '../../../../dist/desk')];
  return candidates.find((dir) => existsSync(dir)) ?? null;
}

/** The desk package file on disk: the only code that reads it. */
@Injectable()
export class DeskPackageRepository {
  private readonly dir = findDeskPackageDir();

  /** The newest `leadline-desk-<version>.tgz` in the build's folder, or null. */
  async latest(): Promise<DeskPackageFile | null> {
    if (!this.dir) return null;
    const files: DeskPackageFile[] = [];
    for (const fileName of await readdir(this.dir).catch(() => [] as string[])) {
      const match = PACKAGE_FILE.exec(fileName);
      if (!match) continue;
      const path = join(this.dir, fileName);
      const info = await stat(path).catch(() => null);
      if (info?.isFile()) files.push({ path, fileName, version: match[1]!, size: info.size, modifiedMs: info.mtimeMs });
    }
    return files.sort((a, b) => b.modifiedMs - a.modifiedMs)[0] ?? null;
  }

  sha256(file: DeskPackageFile): Promise<string> {
    return new Promise((resolvePromise, reject) => {
      const hash = createHash('sha256');
      createReadStream(file.path)
        .on('data', (chunk) => hash.update(chunk))
        .on('error', reject)
        .on('end', () => resolvePromise(hash.digest('hex')));
    });
  }

  open(file: DeskPackageFile): Readable {
    return createReadStream(file.path);
  }
}
