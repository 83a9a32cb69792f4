import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', '.tools/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // a closure may read a variable that is assigned once, later (see server.ts)
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, 'react-hooks/set-state-in-effect': 'off' },
  },
  {
    // The Yjs document shape has one owner (shared/src/docs); nobody else reaches into Y types.
    files: ['**/*.{ts,tsx}'],
    // storage tests use a generic document: storage knows no shape
    ignores: [
      'shared/src/docs/**',
      'server/src/collab/doc-store.contract.ts',
      'server/src/collab/*-doc-store.*test.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(getMap|getArray|getText|getXmlFragment)$/]',
          message: 'Only shared/src/docs/ knows the shape of Yjs documents: use its functions.',
        },
      ],
    },
  },
);
