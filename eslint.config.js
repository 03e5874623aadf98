import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import local from './eslint-rules/index.js';

// The extension's parts are built and loaded apart; each may use src/shared, never another part.
const parts = ['background', 'popup', 'content', 'export'];
const partZones = [
  ...parts.map((part) => ({
    from: [`src/${part}`],
    forbid: parts.filter((other) => other !== part).map((other) => `src/${other}`),
    message: 'each part of the extension may import src/shared and packages, not another part; move what both need into src/shared.',
  })),
  { from: ['src/shared'], forbid: parts.map((part) => `src/${part}`), message: 'src/shared is used by every part and depends on none of them.' },
];
// What only shipped code must keep to: tests may reach further (a test drives a capability through the router, and
// imports the polyfill, which the unit tests map to the fake browser).
const shippedZones = [
  {
    from: ['src'],
    except: ['src/background/background.ts', 'src/popup/popup.tsx', 'src/content/content-script.ts', 'src/export/zuliprc.ts'],
    forbid: ['webextension-polyfill'],
    allowTypeImports: true,
    message: 'the browser is reached at the edge: only the entry files import the polyfill and hand on what the rest needs.',
  },
  {
    from: ['accounts', 'keys', 'sso', 'failures', 'popup-return'].map((folder) => `src/background/${folder}`),
    forbid: ['src/background/handlers', 'src/background/messaging'],
    message: 'dependencies point one way: messaging and handlers use the capabilities, never the reverse; declare the interface needed here.',
  },
  {
    from: ['src/background/handlers'],
    forbid: ['src/background/messaging'],
    message: 'dependencies point one way: the router calls the handlers, never the reverse; what a handler is given is declared in handlers/handler.ts.',
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'artifacts/', 'bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'describe', property: 'only', message: 'Nothing may be focused: every test runs.' },
        { object: 'it', property: 'only', message: 'Nothing may be focused: every test runs.' },
        { object: 'test', property: 'only', message: 'Nothing may be focused: every test runs.' },
        { object: 'describe', property: 'skip', message: 'Nothing may skip silently.' },
        { object: 'it', property: 'skip', message: 'Nothing may skip silently.' },
        { object: 'test', property: 'skip', message: 'Nothing may skip silently.' },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { local },
    rules: {
      'local/no-import-cycle': 'error',
      'local/import-boundaries': ['error', { zones: partZones }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}'],
    rules: { 'local/import-boundaries': ['error', { zones: [...partZones, ...shippedZones] }] },
  },
  {
    // Every TypeScript file is in tsconfig.json, so these rules see types; the .js and .mjs files are not, and keep
    // to the rules above.
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A `default:` is a decision about the rest; a switch without one must name every case.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // What ships to browsers: no HTML injection, no code from strings, no secrets in the console.
    // (eval, new Function and setTimeout/setInterval with a string are refused everywhere, above.)
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML|srcdoc)$/]", message: 'Build DOM with Preact, never from HTML strings.' },
        { selector: "AssignmentExpression > MemberExpression.left[computed=true][property.value=/^(innerHTML|outerHTML|srcdoc)$/]", message: 'Build DOM with Preact, never from HTML strings.' },
        { selector: "Property[key.name=/^(innerHTML|outerHTML|srcdoc|dangerouslySetInnerHTML)$/]", message: 'Build DOM with Preact, never from HTML strings.' },
        { selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|createContextualFragment|setHTMLUnsafe|parseHTMLUnsafe)$/]", message: 'Build DOM with Preact, never from HTML strings.' },
        { selector: "CallExpression[callee.object.name='document'][callee.property.name=/^(write|writeln)$/]", message: 'Build DOM with Preact, never from HTML strings.' },
        { selector: "CallExpression[callee.property.name='setAttribute'][arguments.0.value=/^(srcdoc|on.*)$/i]", message: 'No HTML or inline handlers through attributes.' },
        { selector: "NewExpression[callee.name='DOMParser']", message: 'Build DOM with Preact, never from HTML strings.' },
        { selector: "JSXAttribute[name.name=/^(dangerouslySetInnerHTML|srcdoc|srcDoc)$/]", message: 'Build DOM with Preact, never from HTML strings.' },
      ],
      'no-script-url': 'error',
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
);
