// Builds the UI into internal/server/ui, which the Go binary embeds:
// the JavaScript bundle (esbuild), the stylesheet, the page, the
// basemap's TopoJSON from world-atlas, and SOURCES.sha256, the digest of
// every input, which a Go test compares with the sources to catch a
// bundle not rebuilt.
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const web = dirname(fileURLToPath(import.meta.url));
const root = join(web, "..");
const out = join(root, "internal/server/ui");
const midGo = join(root, "internal/ais/mid.go");

// The MID table internal/ais keeps, as a module: MID → [alpha-2, name].
const midTable = {
  name: "mid-table",
  setup(build) {
    build.onResolve({ filter: /^virtual:mid-table$/ }, () => ({ path: midGo, namespace: "mid" }));
    build.onLoad({ filter: /.*/, namespace: "mid" }, () => {
      const table = {};
      for (const m of readFileSync(midGo, "utf8").matchAll(/^\s*(\d+): \{"([A-Z]{2})", "[A-Z]{3}"\}, \/\/ (.*)$/gm)) {
        table[m[1]] = [m[2], m[3].replace(/ \(ISO code added by hand\)$/, "")];
      }
      if (Object.keys(table).length < 250) throw new Error(`${midGo}: only ${Object.keys(table).length} MIDs read`);
      return { contents: `export const MID = ${JSON.stringify(table)};`, loader: "js" };
    });
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "geo"), { recursive: true });
await esbuild.build({
  entryPoints: [join(web, "src/main.js")],
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2022"],
  legalComments: "eof",
  outfile: join(out, "app.js"),
  plugins: [midTable],
  logLevel: "warning",
});
await esbuild.build({
  entryPoints: [join(web, "src/app.css")],
  bundle: true,
  minify: true,
  outfile: join(out, "app.css"),
  logLevel: "warning",
});
copyFileSync(join(web, "src/index.html"), join(out, "index.html"));
copyFileSync(join(web, "src/icon.svg"), join(out, "icon.svg"));
for (const res of ["110m", "50m", "10m"]) {
  copyFileSync(join(web, `node_modules/world-atlas/countries-${res}.json`), join(out, `geo/countries-${res}.json`));
}
copyFileSync(join(web, "node_modules/world-atlas/LICENSE"), join(out, "geo/LICENSE-world-atlas.txt"));
writeFileSync(join(out, "SOURCES.sha256"), sourceDigest() + "\n");

// sourceDigest is SHA-256 over each input's path (from the repository's
// root) and content, in path order; internal/server's TestUIBundleIsFresh
// computes the same.
function sourceDigest() {
  const files = [...walk(join(web, "src")), join(web, "build.mjs"), join(web, "package.json"), join(web, "package-lock.json"), midGo]
    .map((f) => relative(root, f).split("\\").join("/"))
    .sort();
  const h = createHash("sha256");
  for (const f of files) {
    h.update(f + "\0");
    h.update(readFileSync(join(root, f)));
    h.update("\0");
  }
  return h.digest("hex");
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}
