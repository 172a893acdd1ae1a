// Bundles the editor (CodeMirror 6 and our glue) into www/dist-js/editor.js,
// which Trunk copies into dist/. Run by `cargo xtask build` before Trunk.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: [join(here, 'editor.js')],
  outfile: join(here, '..', 'dist-js', 'editor.js'),
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
});
