// The project's own lint rules for the shape of the code: no import cycles, and each part of the extension importing
// only what it may. Written here rather than taken from an import plugin because the project imports its own modules
// only by relative paths, so resolving them takes a few lines and no resolver to configure.
import importBoundaries from './import-boundaries.js';
import noImportCycle from './no-import-cycle.js';

export default {
  meta: { name: 'keyring-local' },
  rules: { 'import-boundaries': importBoundaries, 'no-import-cycle': noImportCycle },
};
