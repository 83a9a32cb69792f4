#!/usr/bin/env node
// `pnpm size`: what each client chunk weighs, and what a visitor downloads before the sign-in page works.
// Makes a production build of client/dist first (`--no-build` reads the one there), then reads the Vite
// manifest (build.manifest). The sign-in page loads the entry chunk and everything it imports statically;
// every page behind it is fetched with import(). Exits 1 when that is over budget, or when Yjs or
// Socket.IO code has found its way into it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const SIGN_IN_BUDGET_KB = 100;
/** Packages that belong to the debrief (Yjs) or the signed-in shell (Socket.IO), never to the sign-in page. */
const NOT_ON_SIGN_IN =
  /node_modules\/(yjs|y-websocket|y-indexeddb|y-protocols|lib0|socket\.io-client|engine\.io-client)\//;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLIENT = path.join(ROOT, 'client');
const DIST = path.join(CLIENT, 'dist');
const MANIFEST = path.join(DIST, '.vite', 'manifest.json');

if (!process.argv.includes('--no-build')) {
  console.log('building client/dist…');
  const vite = path.join(CLIENT, 'node_modules', '.bin', 'vite');
  // NODE_ENV pinned: inherited from a test runner ("test"), it would make Vite bundle React's development build
  const env = { ...process.env, NODE_ENV: 'production' };
  const build = spawnSync(vite, ['build', '--logLevel', 'error'], { cwd: CLIENT, stdio: 'inherit', env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
if (!existsSync(MANIFEST)) {
  console.error('client/dist/.vite/manifest.json is missing: set build.manifest in client/vite.config.ts');
  process.exit(1);
}

/** @type {Record<string, {file: string, name?: string, src?: string, isEntry?: boolean, isDynamicEntry?: boolean, imports?: string[], dynamicImports?: string[]}>} */
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
const kb = (bytes) => (bytes / 1000).toFixed(2);

/** @type {Map<string, {raw: number, gzip: number, sources: string[]}>} */
const chunks = new Map();
for (const { file } of Object.values(manifest)) {
  if (!file.endsWith('.js') || chunks.has(file)) continue;
  const code = readFileSync(path.join(DIST, file));
  const mapFile = path.join(DIST, `${file}.map`);
  const map = existsSync(mapFile) ? JSON.parse(readFileSync(mapFile, 'utf8')) : { sources: [] };
  const sources = map.sources.map((source, i) => ({ source, size: map.sourcesContent?.[i]?.length ?? 1 }));
  chunks.set(file, { raw: code.length, gzip: gzipSync(code).length, sources });
}

/** The chunk files a manifest entry loads: its own, and those of everything it imports statically. */
function staticClosure(key, seen = new Set()) {
  const entry = manifest[key];
  if (!entry || seen.has(entry.file)) return seen;
  seen.add(entry.file);
  for (const imported of entry.imports ?? []) staticClosure(imported, seen);
  return seen;
}
const total = (files, field) => [...files].reduce((sum, file) => sum + (chunks.get(file)?.[field] ?? 0), 0);

/** What a chunk is mostly made of (by source size, from its source map): packages by name, our code by folder. */
function contents(sources) {
  const counts = new Map();
  for (const { source, size } of sources) {
    const pkg = source.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/)?.[1];
    const label =
      pkg ??
      source
        .replace(/^(\.\.\/)+/, '')
        .split('/', 3)
        .join('/');
    counts.set(label, (counts.get(label) ?? 0) + size);
  }
  const labels = [...counts].sort((a, b) => b[1] - a[1]).map(([label]) => label);
  return labels.length > 4 ? `${labels.slice(0, 4).join(', ')}, +${labels.length - 4}` : labels.join(', ');
}

const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
const signIn = staticClosure(entryKey);
const signInSources = [...signIn].flatMap((file) => chunks.get(file).sources.map(({ source }) => source));
if (signInSources.some((source) => /\.development\.js$/.test(source))) {
  console.error(
    '\nclient/dist holds a development build (React in development mode); run `pnpm size` without --no-build',
  );
  process.exit(1);
}

console.log('\nchunk                                        raw kB   gzip kB  sign-in  contents');
for (const [file, { raw, gzip, sources }] of [...chunks].sort((a, b) => b[1].gzip - a[1].gzip)) {
  const name = path.basename(file).padEnd(42);
  const mark = (signIn.has(file) ? 'yes' : '').padEnd(7);
  console.log(`${name} ${kb(raw).padStart(8)} ${kb(gzip).padStart(9)}  ${mark}  ${contents(sources)}`);
}

// What each page adds on top of the shell when first opened
console.log('\npage (fetched when first opened)             adds gzip kB  with shell');
const pages = Object.entries(manifest).filter(([, entry]) => entry.isDynamicEntry && entry.src?.endsWith('Page.tsx'));
for (const [key, entry] of pages.sort(([a], [b]) => a.localeCompare(b))) {
  const added = new Set([...staticClosure(key)].filter((file) => !signIn.has(file)));
  const label = path.basename(entry.src, '.tsx').padEnd(44);
  console.log(
    `${label} ${kb(total(added, 'gzip')).padStart(12)}  ${kb(total(signIn, 'gzip') + total(added, 'gzip')).padStart(10)}`,
  );
}

const signInGzip = total(signIn, 'gzip');
const leaked = signInSources.filter((source) => NOT_ON_SIGN_IN.test(source));
const over = signInGzip > SIGN_IN_BUDGET_KB * 1000;
console.log(
  `\nsign-in page JS: ${signIn.size} chunk(s), ${kb(total(signIn, 'raw'))} kB raw, ${kb(signInGzip)} kB gzipped ` +
    `(budget ${SIGN_IN_BUDGET_KB} kB, 1 kB = 1000 bytes): ${over ? 'OVER BUDGET' : 'ok'}`,
);
if (leaked.length > 0) {
  console.error(
    `the sign-in page's chunks contain debrief or signed-in-only code:\n  ${leaked.slice(0, 10).join('\n  ')}`,
  );
}
process.exit(over || leaked.length > 0 ? 1 : 0);
