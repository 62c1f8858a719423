#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// A .env in the project root is honoured, as .env.example describes.
const environmentFile = fileURLToPath(new URL('../.env', import.meta.url));
if (existsSync(environmentFile)) process.loadEnvFile(environmentFile);

const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
