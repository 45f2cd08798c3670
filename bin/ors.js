#!/usr/bin/env node
// Runs the bundled CLI (built by `npm run build`).
import '../dist/ors.js';
