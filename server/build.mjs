// `pnpm build:server`: the server and the seed script compiled for plain `node`, each one ESM file
// in server/dist. Our own TypeScript (server/src and @kneadback/shared, which exports source) is
// bundled; every npm package stays external and is loaded from node_modules at run time, so the
// build fails when the server imports a package that is not one of server/package.json's
// `dependencies`: a production install (`pnpm install --prod`) leaves devDependencies out.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const serverDir = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.join(serverDir, 'dist');
const { dependencies } = JSON.parse(readFileSync(path.join(serverDir, 'package.json'), 'utf8'));

/** `@scope/name/sub/path` -> `@scope/name`, `name/sub` -> `name` */
const packageName = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const isBuiltin = (specifier) => specifier.startsWith('node:') || builtinModules.includes(packageName(specifier));

/** Bare imports other than our workspace packages stay imports; we note which packages they name. */
const imported = new Map(); // package -> a file importing it
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@kneadback/')) return undefined; // source: bundle it
      if (!isBuiltin(args.path) && !imported.has(packageName(args.path))) {
        imported.set(packageName(args.path), path.relative(serverDir, args.importer));
      }
      return { path: args.path, external: true };
    });
  },
};

const { outputFiles } = await build({
  entryPoints: { main: 'src/main.ts', seed: 'src/seed/main.ts' },
  absWorkingDir: serverDir,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  // config.ts finds the repository from its own URL two directories up: server/src/ and
  // server/dist/ are the same depth, so client/dist, .data and .tools/bin/ferretdb resolve alike
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [externalPackages],
  // written below, each file replaced whole: a server or a test running from dist meanwhile
  // (another build, a bench) never reads a half-written or missing file
  write: false,
});

const missing = [...imported].filter(([name]) => !Object.hasOwn(dependencies ?? {}, name));
if (missing.length > 0) {
  for (const [name, importer] of missing) {
    console.error(`server build: ${importer} imports "${name}", which is not in server/package.json dependencies`);
  }
  process.exit(1);
}
mkdirSync(outdir, { recursive: true });
for (const file of outputFiles) {
  const partial = `${file.path}.${process.pid}.partial`;
  writeFileSync(partial, file.contents);
  renameSync(partial, file.path);
}
console.log(
  `server built: server/dist/main.js, server/dist/seed.js (packages loaded from node_modules: ${[...imported.keys()].sort().join(', ')})`,
);
