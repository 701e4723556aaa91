#!/usr/bin/env node
// Entry point of the `lotse` command. TypeScript is run through tsx's loader so that
// a fresh clone needs no build step (see docs/decisions/0002-runtime-without-build.md).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
