import { Readable } from 'node:stream';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { DeskPackageFile, DeskPackageRepository } from './desk-package.repository';
import { DeskPackageService } from './desk-package.service';

const aFile = (over: Partial<DeskPackageFile> = {}): DeskPackageFile => ({ path: '/dist/desk/leadline-desk-1.2.3.tgz', fileName: 'leadline-desk-1.2.3.tgz', version: '1.2.3', size: 2048, modifiedMs: 1_000, ...over });

/** A repository over one file (or none) whose hash counts how often it is computed. */
function aRepository(file: DeskPackageFile | null) {
  const repo = {
    file,
    hashes: 0,
    latest: async () => repo.file,
    sha256: async (f: DeskPackageFile) => {
      repo.hashes++;
      return `sha-of-${f.fileName}-${f.modifiedMs}`;
    },
    open: () => Readable.from([Buffer.from('tgz')]),
  };
  return repo;
}

describe('DeskPackageService', () => {
  it('describes the package, hashing each version of the file once', async () => {
    const repo = aRepository(aFile());
    const service = new DeskPackageService(repo as unknown as DeskPackageRepository);
    const view = { name: 'leadline-desk', version: '1.2.3', fileName: 'leadline-desk-1.2.3.tgz', size: 2048, sha256: 'sha-of-leadline-desk-1.2.3.tgz-1000', downloadUrl: '/api/desk-package/download' };
    expect(await service.info()).toEqual(view);
    expect(await service.info()).toEqual(view);
    expect(repo.hashes).toBe(1);

    repo.file = aFile({ modifiedMs: 2_000 }); // rebuilt
    expect((await service.info()).sha256).toBe('sha-of-leadline-desk-1.2.3.tgz-2000');
    expect(repo.hashes).toBe(2);
  });

  it('answers DESK_PACKAGE_NOT_FOUND (404) when the server was not built with it', async () => {
    const service = new DeskPackageService(aRepository(null) as unknown as DeskPackageRepository);
    for (const call of [() => service.info(), () => service.download()]) {
      await expect(call()).rejects.toEqual(expect.objectContaining({ code: ErrorCode.DeskPackageNotFound, message: expect.stringContaining('npm run build') }));
      await expect(call()).rejects.toBeInstanceOf(DomainError);
    }
  });

  it('hands out the file with its name and size', async () => {
    const download = await new DeskPackageService(aRepository(aFile()) as unknown as DeskPackageRepository).download();
    expect(download).toMatchObject({ fileName: 'leadline-desk-1.2.3.tgz', size: 2048 });
    expect(Buffer.concat(await download.stream.toArray()).toString()).toBe('tgz');
  });
});
