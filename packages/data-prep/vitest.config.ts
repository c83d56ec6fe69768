import { defineConfig } from 'vitest/config';
import { packageTests } from '../../vitest.base';

export default defineConfig(packageTests);
