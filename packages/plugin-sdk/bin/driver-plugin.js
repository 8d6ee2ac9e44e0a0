#!/usr/bin/env node
await import('../dist/driver-plugin.js');
