// `node --import <this file> …`: appends the URL of every ES module the process loads to the file
// named by PARLEY_TRACE_MODULES (one per line), so a test can see what a command really loaded.
import { register } from 'node:module';

register(new URL('./trace-modules-hooks.mjs', import.meta.url));
