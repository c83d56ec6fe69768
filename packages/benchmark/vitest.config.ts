import { defineConfig } from 'vitest/config';
import { packageTests } from '../../vitest.base';

// No tensors here: no tfjs backend to set up.
export default defineConfig({ test: { ...packageTests.test, setupFiles: [] } });
