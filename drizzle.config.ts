import { defineConfig } from 'drizzle-kit';

// One schema (every module's `schema.ts`), one migrations folder, applied unchanged to
// PGlite and PostgreSQL. Generate with `npm run db:generate` (see CONTRIBUTING in README).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/**/schema.ts',
  out: './migrations',
});
