import type { DeskPackageView } from '@leadline/contracts';
import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DomainError, ErrorCode } from '../common/domain-error';
import { DeskPackageFile, DeskPackageRepository } from './desk-package.repository';

export interface DeskPackageDownload {
  stream: Readable;
  fileName: string;
  size: number;
}

const notBuilt = () => new DomainError(ErrorCode.DeskPackageNotFound, 'This server has no desk daemon package: run `npm run build` on it (it writes dist/desk/leadline-desk-<version>.tgz)');

/**
 * The desk daemon package (leadline-desk) this server hands out to its signed-in users: agents
 * install it on their PCs, IT teams fetch it with a token to roll it out.
 */
@Injectable()
export class DeskPackageService {
  /** The file's hash, computed once per file version. */
  private hashed?: { key: string; sha256: Promise<string> };

  constructor(private readonly files: DeskPackageRepository) {}

  async info(): Promise<DeskPackageView> {
    const file = await this.require();
    return { name: 'leadline-desk', version: file.version, fileName: file.fileName, size: file.size, sha256: await this.sha256(file), downloadUrl: '/api/desk-package/download' };
  }

  async download(): Promise<DeskPackageDownload> {
    const file = await this.require();
    return { stream: this.files.open(file), fileName: file.fileName, size: file.size };
  }

  private async require(): Promise<DeskPackageFile> {
    const file = await this.files.latest();
    if (!file) throw notBuilt();
    return file;
  }

  private sha256(file: DeskPackageFile): Promise<string> {
    const key = `${file.path}:${file.size}:${file.modifiedMs}`;
    if (this.hashed?.key !== key) {
      const sha256 = this.files.sha256(file);
      this.hashed = { key, sha256 };
      // A failed read is not remembered: the next request tries again.
      sha256.catch(() => {
        if (this.hashed?.key === key) this.hashed = undefined;
      });
    }
    return this.hashed.sha256;
  }
}
