import { backendFixture } from '@native-login/test-support';
import type { Test } from 'tap';
import { storeApp } from '../src/index.js';

/** Real Redis, the stand-in, and Store backends built against them. */
export const storeFixture = (t: Test) => backendFixture(t, 'STORE', storeApp);
