import fs from 'node:fs';
import path from 'node:path';

/**
 * `npm test` runs the suite on the JavaScript that tsc emits into .build/, because loading
 * TypeScript through tsx costs each of the ~140 test processes over a second of CPU. This
 * gives that tree what tsc does not emit: links to the files code reads beside itself, and no
 * JavaScript left over from a source file since removed (it would still run as a test).
 */
const root = path.resolve(import.meta.dirname, '..');
const build = path.join(root, '.build');

const links = ['node_modules', 'contracts', 'docs', 'bin', '.cache', 'src/nucleus/resource/data', 'src/console/assets', 'test/hydro/hardhat.config.cjs'];
// The compiled-contracts cache is made on first use; a link to nowhere could not be written through.
fs.mkdirSync(path.join(root, '.cache'), { recursive: true });
for (const link of links) {
  const at = path.join(build, link);
  fs.rmSync(at, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.symlinkSync(path.relative(path.dirname(at), path.join(root, link)), at);
}

function removeOrphans(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) removeOrphans(at);
    else if (entry.isFile() && entry.name.endsWith('.js')) {
      const source = path.join(root, path.relative(build, at)).replace(/\.js$/, '.ts');
      if (!fs.existsSync(source)) fs.rmSync(at);
    }
  }
}
for (const tree of ['src', 'test', 'bench', 'conformance', 'scripts']) {
  if (fs.existsSync(path.join(build, tree))) removeOrphans(path.join(build, tree));
}
