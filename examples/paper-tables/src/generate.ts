/** Writes configs/<id>.yaml for every experiment of src/experiments.ts (run after editing that file). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configYaml } from './config_yaml';
import { paperExperiments } from './experiments';

const dir = join(import.meta.dirname, '..', 'configs');
mkdirSync(dir, { recursive: true });
const experiments = paperExperiments();
for (const e of experiments) writeFileSync(join(dir, `${e.id}.yaml`), configYaml(e));
console.log(`wrote ${experiments.length} configurations to ${dir}`);
