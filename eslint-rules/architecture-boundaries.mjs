// DESIGN.md's import boundaries, checked on every import, export-from, dynamic import and
// require: `shared` imports neither process; `src-renderer` imports only `shared`;
// `src-main/core` never imports `electron`, `src-main/electron` or `src-main/preview`;
// and only `src-main/electron` imports 'electron'.
import { builtinModules } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** The layer a file belongs to, by its folder. */
function layerOf(file) {
  const relative = path.relative(root, file).split(path.sep).join('/');
  if (relative.startsWith('shared/')) return 'shared';
  if (relative.startsWith('src-renderer/')) return 'renderer';
  if (relative.startsWith('src-main/core/')) return 'core';
  if (relative.startsWith('src-main/electron/')) return 'electron-shell';
  if (relative.startsWith('src-main/preview/')) return 'preview';
  // Anything else in the main process (build-time declarations) is held to core's rules.
  if (relative.startsWith('src-main/')) return 'core';
  return null;
}

const allowedLayers = {
  shared: ['shared'],
  renderer: ['renderer', 'shared'],
  core: ['core', 'shared'],
  'electron-shell': ['electron-shell', 'core', 'shared'],
  preview: ['preview', 'core', 'shared'],
};

/** Packages only the main process may use: a renderer bundling them would be a bug. */
const mainOnlyPackages = new Set(['better-sqlite3', 'keytar']);

function packageName(specifier) {
  const clean = specifier.replace(/^node:/, '');
  return clean.startsWith('@') ? clean.split('/').slice(0, 2).join('/') : clean.split('/')[0];
}

function isNodeBuiltin(specifier) {
  return specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]);
}

export const architectureBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: "Enforces DESIGN.md's import boundaries between shared, the renderer and the main process layers." },
    schema: [],
    messages: {
      layer: "{{from}} may not import {{to}} ('{{specifier}}'): DESIGN.md allows {{from}} to import only {{allowed}}.",
      electron: "Only src-main/electron may import 'electron' ({{from}} imports '{{specifier}}').",
      nodeOnly: "{{from}} runs outside Node and may not import '{{specifier}}'.",
    },
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (!from) return {};

    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const to = layerOf(path.resolve(path.dirname(file), specifier));
        if (to && !allowedLayers[from].includes(to)) {
          context.report({ node, messageId: 'layer', data: { from, to, specifier, allowed: allowedLayers[from].join(', ') } });
        }
        return;
      }
      const name = packageName(specifier);
      if (name === 'electron' && from !== 'electron-shell') {
        context.report({ node, messageId: 'electron', data: { from, specifier } });
      } else if ((from === 'shared' || from === 'renderer') && (mainOnlyPackages.has(name) || isNodeBuiltin(specifier))) {
        context.report({ node, messageId: 'nodeOnly', data: { from, specifier } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      TSImportType: (node) => {
        const literal = node.argument?.literal ?? node.argument;
        if (literal?.type === 'Literal') check(node, literal.value);
      },
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0].value);
        }
      },
    };
  },
};

export default { rules: { 'architecture-boundaries': architectureBoundaries } };
