/** Module boundaries (ARCHITECTURE.md): checked by `npm run lint`. */
module.exports = {
  forbidden: [
    {
      name: 'module-internals',
      comment: 'A module may import another module only through its index.ts.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/(?!index\\.ts$)', pathNot: '^src/modules/$1/' },
    },
    {
      name: 'core-independent',
      comment: 'core/, text/ and ml/ must not depend on modules, web or cli.',
      severity: 'error',
      from: { path: '^src/(core|text|ml)/' },
      to: { path: '^src/(modules|web|cli)/' },
    },
    {
      name: 'no-http-in-use-cases',
      comment: 'Only routes.tsx touches Hono; use cases stay transport-free.',
      severity: 'error',
      from: { path: '^src/modules/[^/]+/(?!routes|index)[^/]+\\.ts$', pathNot: '\\.test\\.tsx?$' },
      to: { path: 'node_modules/hono/' },
    },
    { name: 'no-circular', severity: 'warn', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '\\.test\\.tsx?$' },
  },
};
