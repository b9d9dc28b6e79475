// DESIGN.md's import boundaries, checked on every import, export-from, dynamic import and
// require: `shared` imports neither process; `src-renderer` imports only `shared`;
// `src-main/core` never imports `electron`, `src-main/electron` or `src-main/preview`;
// only `src-main/electron` imports 'electron'; and inside core, a folder imports only the
// folders below it (VS Code's layering rule, applied within a layer):
//   base ← directory, secrets ← store ← sms ← idp ← session, sso, sync ← config ← handlers, modes ← kiosk.ts
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
  if (relative.startsWith('src-main/cli/')) return 'cli';
  // Anything else in the main process (build-time declarations) is held to core's rules.
  if (relative.startsWith('src-main/')) return 'core';
  return null;
}

const allowedLayers = {
  shared: ['shared'],
  renderer: ['renderer', 'shared'],
  core: ['core', 'shared'],
  'electron-shell': ['electron-shell', 'cli', 'core', 'shared'],
  preview: ['preview', 'core', 'shared'],
  cli: ['cli', 'core', 'shared'],
};

/** Core's folders from the bottom up; files directly in core/ (the composition root) sit on top. */
const coreOrder = [['base'], ['directory', 'secrets'], ['store'], ['sms'], ['idp'], ['session', 'sso', 'sync'], ['config'], ['handlers', 'modes'], ['kiosk']];
const coreRank = new Map(coreOrder.flatMap((names, rank) => names.map((name) => [name, rank])));

/** The folder inside src-main/core a file belongs to (`kiosk` for core's own top-level files), or null. */
function coreFolderOf(file) {
  const relative = path.relative(root, file).split(path.sep).join('/');
  if (!relative.startsWith('src-main/core/')) return null;
  const parts = relative.slice('src-main/core/'.length).split('/');
  return parts.length === 1 ? 'kiosk' : parts[0];
}

/** Whether core's `from` folder may import its `to` folder: only those below it, or itself. */
function coreAllows(from, to) {
  if (from === to) return true;
  const fromRank = coreRank.get(from);
  const toRank = coreRank.get(to);
  // A folder not in the order yet is held to the top's rules, and may be imported by the top only.
  return (fromRank ?? coreOrder.length - 1) > (toRank ?? coreOrder.length - 1);
}

function below(folder) {
  const rank = coreRank.get(folder) ?? coreOrder.length - 1;
  return coreOrder.slice(0, rank).flat().join(', ') || 'nothing else of core';
}

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
      coreOrder: "core/{{from}} may not import core/{{to}} ('{{specifier}}'): inside core, {{from}} may import only {{allowed}} (DESIGN.md's order).",
    },
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (!from) return {};

    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = path.resolve(path.dirname(file), specifier);
        const to = layerOf(target);
        if (to && !allowedLayers[from].includes(to)) {
          context.report({ node, messageId: 'layer', data: { from, to, specifier, allowed: allowedLayers[from].join(', ') } });
          return;
        }
        const fromFolder = coreFolderOf(file);
        const toFolder = coreFolderOf(target);
        if (fromFolder && toFolder && !coreAllows(fromFolder, toFolder)) {
          context.report({ node, messageId: 'coreOrder', data: { from: fromFolder, to: toFolder, specifier, allowed: below(fromFolder) } });
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
