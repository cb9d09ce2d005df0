import { z } from 'zod';

// Zod 4 probes `new Function` to speed up object parsing; under the app's CSP (no 'unsafe-eval')
// that probe is reported as a violation. The renderer parses little, so the plain path is fine.
z.config({ jitless: true });
