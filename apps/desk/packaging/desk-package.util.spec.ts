import * as path from 'node:path';
import { dependencyProblems, moduleClosure, packageNameOf, requiredModules } from './desk-package.util';

describe('requiredModules', () => {
  it('finds the require() calls tsc emits, static and lazy', () => {
    const js = [
      'const a = require("./a");',
      "const fs = __importStar(require('node:fs'));",
      'loaded ??= Promise.resolve().then(() => __importStar(require("node-hid")));',
      '// not a call: required("x")',
    ].join('\n');
    expect(requiredModules(js)).toEqual(['./a', 'node:fs', 'node-hid']);
  });
});

describe('packageNameOf', () => {
  it.each([
    ['zod', 'zod'],
    ['socket.io-client/dist/x', 'socket.io-client'],
    ['@scope/pkg', '@scope/pkg'],
    ['@scope/pkg/deep/file', '@scope/pkg'],
  ])('%s → %s', (spec, name) => expect(packageNameOf(spec)).toBe(name));
});

describe('moduleClosure', () => {
  const root = path.resolve('/build');
  const tree: Record<string, string> = {
    [path.join(root, 'apps/desk/src/main.js')]: 'require("./config"); require("../../../libs/busylight/src/index.js"); require("node:fs"); require("os");',
    [path.join(root, 'apps/desk/src/config.js')]: 'require("zod"); require("./main");',
    [path.join(root, 'libs/busylight/src/index.js')]: 'require("./fleet"); require("./transport")',
    [path.join(root, 'libs/busylight/src/fleet.js')]: '',
    [path.join(root, 'libs/busylight/src/transport/index.js')]: 'require("node-hid"); require("@pinojs/redact/lib")',
    [path.join(root, 'libs/contracts/src/index.js')]: 'require("never-reached")',
  };
  const read = (f: string) => tree[f];

  it('follows relative requires (files and folders), once each, and lists outside packages', () => {
    expect(moduleClosure(path.join(root, 'apps/desk/src/main.js'), read)).toEqual({
      files: [
        path.join(root, 'apps/desk/src/config.js'),
        path.join(root, 'apps/desk/src/main.js'),
        path.join(root, 'libs/busylight/src/fleet.js'),
        path.join(root, 'libs/busylight/src/index.js'),
        path.join(root, 'libs/busylight/src/transport/index.js'),
      ],
      packages: ['@pinojs/redact', 'node-hid', 'zod'],
    });
  });

  it('fails on a file the build does not have', () => {
    expect(() => moduleClosure(path.join(root, 'apps/desk/src/config.js'), (f) => (f.endsWith('main.js') ? 'require("./gone")' : read(f)))).toThrow(/requires .*gone, which is not in the build/);
  });
});

describe('dependencyProblems', () => {
  const repo = { name: 'leadline', version: '1', dependencies: { zod: '3.25.76', pino: '9.14.0', '@nestjs/core': '11' }, optionalDependencies: { 'node-hid': '3.4.0' } };
  const desk = { name: 'leadline-desk', version: '1', dependencies: { zod: '3.25.76', pino: '9.14.0' }, optionalDependencies: { 'node-hid': '3.4.0' } };

  it('accepts a manifest that declares exactly what the code requires, at the repo versions', () => {
    expect(dependencyProblems(['node-hid', 'pino', 'zod'], desk, repo)).toEqual([]);
  });

  it.each([
    ['an undeclared package', ['node-hid', 'pino', 'zod', '@nestjs/core'], desk, '@nestjs/core is required by the daemon but not declared'],
    ['a declared package never required', ['node-hid', 'zod'], desk, 'pino is declared in apps/desk/package.json but the daemon never requires it'],
    ['a version that drifted', ['node-hid', 'pino', 'zod'], { ...desk, dependencies: { zod: '3.0.0', pino: '9.14.0' } }, 'zod@3.0.0 in apps/desk/package.json, but the repository pins 3.25.76'],
  ])('reports %s', (_name, required, manifest, problem) => {
    expect(dependencyProblems(required, manifest, repo).join('\n')).toContain(problem);
  });
});
