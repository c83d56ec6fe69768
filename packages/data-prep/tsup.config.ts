import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// shims: the CommonJS build needs import.meta.url for createRequire (lazy loading of face-api).
export default defineConfig({ ...packageBuild, shims: true });
