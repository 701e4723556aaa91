#!/usr/bin/env node
// Entry point of the `lotse` command. A fresh clone needs no build step: see bin/runtime.mjs
// and docs/decisions/0002-runtime-without-build.md.
import { loadMain } from './runtime.mjs';

const { main } = await loadMain();
await main(process.argv);
