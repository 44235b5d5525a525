// The files `fayger init` writes. Kept as data (not files beside the bundle) so the CLI works bundled.

export type InitLang = 'as' | 'c';

export interface InitProject {
  /** npm package name and the last part of the app id. */
  name: string;
  /** Manifest publisher; the generated dev key may sign for exactly this publisher. */
  publisher: string;
  lang: InitLang;
  /** Version range written for the @fayger packages (the CLI's own version). */
  faygerRange: string;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function manifest(p: InitProject): string {
  const capabilities =
    p.lang === 'as'
      ? [
          { name: 'log', required: true, reason: 'prints the greeting' },
          { name: 'clock', required: true, reason: 'shows the time' },
        ]
      : [{ name: 'stdio', required: true, reason: 'prints the greeting on stdout' }];
  return json({
    id: `${p.publisher}.${p.name}`,
    version: '0.1.0',
    publisher: p.publisher,
    runtime: { interface: '^1.0.0' },
    entry: { section: 'main', export: '_start' },
    capabilities,
    quotas: { memoryPages: 16, wallTimeMs: 10_000 },
    security: { sequence: 1 },
  });
}

const AS_SOURCE = `// Your guest: AssemblyScript compiled to WebAssembly, talking to the host through @fayger/guest-as.
// Every host call is checked against the capabilities in manifest.json (default deny).
import { clock, log } from "@fayger/guest-as";

log.info("hello from a Fayger guest");
log.info("the host's clock says " + (<i64>clock.now()).toString() + " ms since the Unix epoch");
`;

const C_SOURCE = `// Your guest: plain C for wasm32-wasi (clang + wasi-libc). stdio goes through the host's WASI layer.
#include <stdio.h>

int main(int argc, char **argv) {
  printf("hello from a Fayger guest (C, %d argument%s)\\n", argc - 1, argc == 2 ? "" : "s");
  return 0;
}
`;

function packageJson(p: InitProject): string {
  const buf = `dist/${p.name}.buf`;
  const pack = `fayger pack . -o ${buf} --sign .fayger/dev.key.json --force`;
  const compile =
    p.lang === 'as'
      ? 'asc assembly/index.ts --config asconfig.json'
      : `clang --target=wasm32-wasi -O2 -o build/${p.name}.wasm src/main.c`;
  const devDependencies: Record<string, string> = { '@fayger/cli': p.faygerRange };
  if (p.lang === 'as') {
    devDependencies['@fayger/guest-as'] = p.faygerRange;
    devDependencies['assemblyscript'] = '^0.28.20';
  }
  return json({
    name: p.name,
    version: '0.1.0',
    private: true,
    description: `A Fayger guest (${p.lang === 'as' ? 'AssemblyScript' : 'C'}), packed into a signed BuF`,
    type: 'module',
    scripts: {
      build: `${p.lang === 'c' ? 'mkdir -p build && ' : ''}${compile} && ${pack}`,
      start: `fayger run ${buf} --trusted-roots .fayger/trusted-roots.json`,
    },
    devDependencies,
  });
}

function readme(p: InitProject): string {
  const tool =
    p.lang === 'as'
      ? 'AssemblyScript (installed by `npm install`)'
      : 'clang with wasi-libc (`apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32` on Debian)';
  return `# ${p.name}

A Fayger guest: ${p.lang === 'as' ? '`assembly/index.ts`' : '`src/main.c`'} compiled to WebAssembly with ${tool}, packed with
\`manifest.json\` into a signed BuF (\`dist/${p.name}.buf\`) and run by \`fayger run\`.

\`\`\`sh
npm install
npm run build   # compile, then fayger pack … --sign .fayger/dev.key.json
npm start       # fayger run dist/${p.name}.buf --trusted-roots .fayger/trusted-roots.json
\`\`\`

- \`manifest.json\` — the app's id, version, publisher (\`${p.publisher}\`), entry point and the capabilities it asks for
  (a host grants requested ∩ available ∩ its policy; anything else is denied). Raise \`security.sequence\` on every
  release: a host refuses a lower sequence than it has seen (rollback protection).
- \`fayger.pack.json\` — which files become which sections of the BuF.
- \`.fayger/dev.key.json\` — a development signing key for publisher \`${p.publisher}\` only (git-ignored: keep it
  private). \`.fayger/trusted-roots.json\` holds its public half; give that file to whoever runs your BuF.
  For releases make a key of your own: \`npx fayger keygen -p '${p.publisher}' -o keys/release\`.

\`npx fayger run --help\` lists the run flags (grants, quotas, \`--explain\` for the grant report).
`;
}

/** Files to write, by path relative to the project directory (the key files are made by keygen). */
export function initFiles(p: InitProject): Record<string, string> {
  const wasm = `build/${p.name}.wasm`;
  const files: Record<string, string> = {
    'package.json': packageJson(p),
    'manifest.json': manifest(p),
    'fayger.pack.json': json({
      manifest: 'manifest.json',
      sections: [{ name: 'main', kind: 'code', file: wasm, required: true }],
    }),
    '.gitignore': 'node_modules/\nbuild/\ndist/\n.fayger/*.key.json\n',
    'README.md': readme(p),
  };
  if (p.lang === 'as') {
    files['assembly/index.ts'] = AS_SOURCE;
    files['asconfig.json'] = json({
      extends: './node_modules/@fayger/guest-as/asconfig.json',
      options: { outFile: wasm, use: ['abort=~lib/@fayger/guest-as/assembly/abort/faygerAbort'] },
    });
  } else {
    files['src/main.c'] = C_SOURCE;
  }
  return files;
}
