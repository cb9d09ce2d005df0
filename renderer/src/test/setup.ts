import { configure } from '@testing-library/react';

// findBy*/waitFor give up after this long. A bound, never a measurement: on a busy 2-core CI
// machine a re-render after a fake IPC round trip can take longer than the library's 1 s default.
configure({ asyncUtilTimeout: 5000 });
