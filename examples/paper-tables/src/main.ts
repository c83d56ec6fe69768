import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runTables } from './run_tables';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    table: { type: 'string', default: '1,3,4,5' },
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    'smoke-dir': { type: 'string', default: join(tmpdir(), 'qad-paper-tables-smoke') },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'Usage: pnpm --filter @qad/example-paper-tables start -- [--table 1,3,4,5] [--only id,id] [--smoke]',
  );
  process.exit(0);
}
const tables = values.table!.split(',').map(Number);
const result = await runTables({
  tables,
  smoke: values.smoke!,
  smokeDir: values['smoke-dir']!,
  only: values.only?.split(','),
  configsDir: join(import.meta.dirname, '..', 'configs'),
  log: (line) => console.log(line),
});
for (const t of Object.keys(result.markdown).sort()) console.log(`\n${result.markdown[Number(t)]}`);
