#!/usr/bin/env node
// Installed entry point for `sshlens`: loads the TypeScript CLI through tsx's ESM loader.
import { register } from 'tsx/esm/api';

register();
await import('./sshlens.ts');
