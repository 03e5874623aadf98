// Which folders (and packages) a folder's modules may not import. Each zone names the importing folders, the
// folders or packages they may not reach, and why. Relative specifiers are checked by the path they name, so
// `../x/../popup/y` is caught too, whether or not the file exists yet.
import { dirname, relative, resolve, sep } from 'node:path';

const inside = (path, folder) => path === folder || path.startsWith(folder + sep);

/** The module a node names when it imports or re-exports one by a string, and whether only types are imported. */
function importOf(node) {
  switch (node.type) {
    case 'ImportDeclaration':
      return { source: node.source, typeOnly: node.importKind === 'type' };
    case 'ExportNamedDeclaration':
    case 'ExportAllDeclaration':
      return node.source ? { source: node.source, typeOnly: node.exportKind === 'type' } : null;
    case 'ImportExpression':
      return { source: node.source, typeOnly: false };
    case 'TSImportType':
      return { source: node.argument?.literal, typeOnly: true };
    case 'TSExternalModuleReference':
      return { source: node.expression, typeOnly: false };
    default:
      return null;
  }
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid imports from one folder into another, or of a package outside the files allowed to.' },
    schema: [
      {
        type: 'object',
        properties: {
          zones: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                from: { type: 'array', items: { type: 'string' } },
                except: { type: 'array', items: { type: 'string' } },
                forbid: { type: 'array', items: { type: 'string' } },
                allowTypeImports: { type: 'boolean' },
                message: { type: 'string' },
              },
              required: ['from', 'forbid', 'message'],
              additionalProperties: false,
            },
          },
        },
        required: ['zones'],
        additionalProperties: false,
      },
    ],
    messages: { forbidden: '{{importer}} may not import {{imported}}: {{why}}' },
  },
  create(context) {
    const cwd = context.cwd;
    const file = context.physicalFilename;
    const zones = (context.options[0]?.zones ?? [])
      .filter((zone) => zone.from.some((folder) => inside(file, resolve(cwd, folder))))
      .filter((zone) => !(zone.except ?? []).some((path) => resolve(cwd, path) === file));
    if (zones.length === 0) return {};

    const check = (node) => {
      const found = importOf(node);
      if (!found?.source || typeof found.source.value !== 'string') return;
      const specifier = found.source.value;
      const relativeSpecifier = specifier.startsWith('./') || specifier.startsWith('../');
      const target = relativeSpecifier ? resolve(dirname(file), specifier) : null;
      for (const zone of zones) {
        if (found.typeOnly && zone.allowTypeImports) continue;
        const hit = zone.forbid.find((forbidden) =>
          target === null ? specifier === forbidden || specifier.startsWith(`${forbidden}/`) : inside(target, resolve(cwd, forbidden)));
        if (hit === undefined) continue;
        context.report({
          node: found.source,
          messageId: 'forbidden',
          data: { importer: relative(cwd, file), imported: target === null ? specifier : relative(cwd, target), why: zone.message },
        });
        return;
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
      TSImportType: check,
      TSExternalModuleReference: check,
    };
  },
};
