// Builds FerretDB v1.24.2 into .tools/bin/ferretdb with Go.
// A plain `go install .../cmd/ferretdb@v1.24.2` builds a binary that panics at start
// ("Invalid build/version/version.txt"), because the module zip lacks that generated file;
// so we copy the module source, add the file, apply our patches (below) and build it ourselves.
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
  readFileSync,
  statSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = 'v1.24.2';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, '.tools', 'bin', 'ferretdb');

/**
 * Changes to FerretDB's source, each a literal replacement that must match exactly: a source that
 * differs stops the build instead of silently leaving a patch out.
 *
 * SQLite backend, ListCollections by name: every `find` and `aggregate` asks for its one
 * collection, and v1.24.2 answered by copying and sorting the metadata of every collection in the
 * database. With one collection per user for several kinds of data, every read slowed as users
 * joined: a find by `_id` in a one-row collection took 17-19 ms in a database of 8,000
 * collections against 2.5 ms in one of a single collection (same FerretDB, same moment). The
 * patch looks the collection up by name.
 *
 * SQLite backend, `_id` lookups: every collection has a unique index on `_ferretdb_sjson->"_id"`,
 * but finds, updates and deletes by `_id` filtered on `_ferretdb_sjson->'$._id'`, an expression
 * SQLite does not match to that index, so each passed over the whole collection (EXPLAIN QUERY
 * PLAN: SCAN, against SEARCH USING INDEX with the index's own expression; a find by `_id` took
 * 35-65 ms among 30,000 rows). The patch filters on the indexed expression; both give the same
 * JSON value, and the indexes of existing databases serve it at once.
 */
const PATCHES = [
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    replace: [[`\tIDColumn = DefaultColumn + "->'$._id'"`, `\tIDColumn = DefaultColumn + \`->"_id"\``]],
  },
  {
    file: 'internal/backends/sqlite/database.go',
    replace: [
      [
        `import (
\t"cmp"
\t"context"
\t"slices"
`,
        `import (
\t"context"
`,
      ],
      [
        `\tlist, err := db.r.CollectionList(ctx, db.name)
\tif err != nil {
\t\treturn nil, lazyerrors.Error(err)
\t}

\tvar res []backends.CollectionInfo

\tif params != nil && len(params.Name) > 0 {
\t\tnameList := make([]string, len(list))
\t\tfor i, c := range list {
\t\t\tnameList[i] = c.Name
\t\t}

\t\ti, found := slices.BinarySearchFunc(nameList, params.Name, func(collectionName, t string) int {
\t\t\treturn cmp.Compare(collectionName, t)
\t\t})

\t\tvar filteredList []*metadata.Collection
\t\tif found {
\t\t\tfilteredList = append(filteredList, list[i])
\t\t}
\t\tlist = filteredList
\t}
`,
        `\tvar list []*metadata.Collection

\tif params != nil && len(params.Name) > 0 {
\t\t// Kneadback patch: look the one collection up instead of copying and sorting all of them.
\t\tif db.r.DatabaseGetExisting(ctx, db.name) != nil {
\t\t\tif c := db.r.CollectionGet(ctx, db.name, params.Name); c != nil {
\t\t\t\tlist = append(list, c)
\t\t\t}
\t\t}
\t} else {
\t\tvar err error
\t\tif list, err = db.r.CollectionList(ctx, db.name); err != nil {
\t\t\treturn nil, lazyerrors.Error(err)
\t\t}
\t}

\tvar res []backends.CollectionInfo
`,
      ],
    ],
  },
];

/** Names the source a binary was built from, kept beside it: a binary built before a patch changed is built again. */
const BUILD_ID = createHash('sha256').update(VERSION).update(JSON.stringify(PATCHES)).digest('hex').slice(0, 16);
const buildIdFile = `${target}.build-id`;

function works(bin) {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes(
      VERSION,
    );
  } catch {
    return false;
  }
}

/** The binary at `target` runs and was built from today's patches. */
function current() {
  return existsSync(buildIdFile) && readFileSync(buildIdFile, 'utf8').trim() === BUILD_ID && works(target);
}

function applyPatches(work) {
  for (const { file, replace } of PATCHES) {
    const source = path.join(work, file);
    let text = readFileSync(source, 'utf8');
    for (const [from, to] of replace) {
      if (!text.includes(from)) throw new Error(`FerretDB patch does not match ${file}; was the version changed?`);
      text = text.replace(from, to);
    }
    writeFileSync(source, text);
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
  if (current()) return target;
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
    applyPatches(work);
    mkdirSync(path.dirname(target), { recursive: true });
    rmSync(buildIdFile, { force: true });
    rmSync(target, { force: true }); // a FerretDB still running keeps its file; writing over it would fail
    execFileSync('go', ['build', '-o', target, './cmd/ferretdb'], { cwd: work, stdio: 'inherit' });
    writeFileSync(buildIdFile, `${BUILD_ID}\n`);
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
  if (!current()) ensureFerretdb();
  else console.log(`FerretDB ${VERSION} already at ${path.relative(root, target)}`);
}
