#!/usr/bin/env node
const { loadEnvironmentFile } = await import('../dist/src/environment-file.js');
loadEnvironmentFile();

const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
