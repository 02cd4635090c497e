import { backendFixture } from '@native-login/test-support';
import type { Test } from 'tap';
import { forumApp } from '../src/index.js';

/** Real Redis, the stand-in, and Forum backends built against them. */
export const forumFixture = (t: Test) => backendFixture(t, 'FORUM', forumApp);
