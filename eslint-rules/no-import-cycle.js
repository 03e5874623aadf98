// An import cycle makes module order matter and keeps parts from being understood, tested or moved alone. Type-only
// imports count too: a cycle of types is still two modules that each need the other to be read.
import { relative, resolve, sep } from 'node:path';
import { importsOnDisk, resolveImport, specifiersIn } from './module-graph.js';

/** The shortest chain of imports on disk from `start` back to `file`, or null if there is none. */
function pathBack(start, file, inRoot, noWayBack) {
  const cameFrom = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === file) {
      const chain = [];
      for (let step = current; step !== null; step = cameFrom.get(step)) chain.unshift(step);
      return chain;
    }
    for (const next of importsOnDisk(current)) {
      if (!inRoot(next) || cameFrom.has(next) || noWayBack.has(next)) continue;
      cameFrom.set(next, current);
      queue.push(next);
    }
  }
  for (const visited of cameFrom.keys()) noWayBack.add(visited);
  return null;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles among the modules under a folder (src/ by default), type-only imports included.' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: { cycle: 'Import cycle: {{chain}}. Move what both sides need into a module of its own, or have the lower one declare the interface it needs.' },
  },
  create(context) {
    const root = resolve(context.cwd, context.options[0]?.root ?? 'src');
    const inRoot = (path) => path.startsWith(root + sep);
    const file = context.physicalFilename;
    if (!inRoot(file)) return {};
    return {
      Program() {
        // This file's own imports come from the text being linted; the rest of the graph from disk.
        const sourceCode = context.sourceCode;
        const noWayBack = new Set();
        const reported = new Set();
        for (const { specifier, start, end } of specifiersIn(sourceCode.text)) {
          const target = resolveImport(file, specifier);
          if (target === null || !inRoot(target) || reported.has(target)) continue;
          const chain = pathBack(target, file, inRoot, noWayBack);
          if (chain === null) continue;
          reported.add(target);
          context.report({
            loc: { start: sourceCode.getLocFromIndex(start), end: sourceCode.getLocFromIndex(end) },
            messageId: 'cycle',
            data: { chain: [file, ...chain].map((path) => relative(context.cwd, path)).join(' → ') },
          });
        }
      },
    };
  },
};
