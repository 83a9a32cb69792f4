// Builds FerretDB v1.24.2 into .tools/bin/ferretdb with Go.
// A plain `go install .../cmd/ferretdb@v1.24.2` builds a binary that panics at start
// ("Invalid build/version/version.txt"), because the module zip lacks that generated file;
// so we copy the module source, add the file, and build it ourselves.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
  existsSync,
  readdirSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = 'v1.24.2';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, '.tools', 'bin', 'ferretdb');

function works(bin) {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes(
      VERSION,
    );
  } catch {
    return false;
  }
}

function hasGo() {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function makeWritable(dir) {
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    chmodSync(p, 0o755);
    if (statSync(p).isDirectory()) makeWritable(p);
  }
}

export function ensureFerretdb() {
  if (works(target)) return target;
  if (!hasGo()) {
    console.error(
      `FerretDB ${VERSION} is needed for the embedded database and Go is not installed.\n` +
        '  Install Go (https://go.dev/doc/install) and run this again, or\n' +
        '  set FERRETDB_BIN to a FerretDB v1 binary, or\n' +
        '  set MONGODB_URI to a running MongoDB server (mongodb://host:port/kneadback).',
    );
    process.exit(1);
  }
  console.log(`Building FerretDB ${VERSION} with Go (first run only, about a minute)...`);
  const info = JSON.parse(
    execFileSync('go', ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${VERSION}`], { encoding: 'utf8' }),
  );
  const work = mkdtempSync(path.join(os.tmpdir(), 'ferretdb-src-'));
  try {
    cpSync(info.Dir, work, { recursive: true });
    makeWritable(work);
    writeFileSync(path.join(work, 'build', 'version', 'version.txt'), `${VERSION}\n`);
    mkdirSync(path.dirname(target), { recursive: true });
    execFileSync('go', ['build', '-o', target, './cmd/ferretdb'], { cwd: work, stdio: 'inherit' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!works(target)) {
    console.error(`Built ${target} but it does not run; set MONGODB_URI to use another server.`);
    process.exit(1);
  }
  console.log(`FerretDB ${VERSION} ready at ${path.relative(root, target)}`);
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  if (!existsSync(target) || !works(target)) ensureFerretdb();
  else console.log(`FerretDB ${VERSION} already at ${path.relative(root, target)}`);
}
