import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
