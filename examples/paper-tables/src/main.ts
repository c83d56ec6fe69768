import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PAPER_TABLES, type PaperTable } from './paper_rows';
import { runTables } from './run_tables';

/** `1`…`5` → `T1`…; `f3`, `F4`, `T2` as written. */
function tableName(text: string): PaperTable {
  const name = (/^\d$/.test(text) ? `T${text}` : text.toUpperCase()) as PaperTable;
  if (!(PAPER_TABLES as readonly string[]).includes(name)) {
    throw new Error(`--table: unknown table '${text}'; use ${PAPER_TABLES.join(', ')} (or 1–5).`);
  }
  return name;
}

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    table: { type: 'string', default: PAPER_TABLES.join(',') },
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    'smoke-dir': { type: 'string', default: join(tmpdir(), 'qad-paper-tables-smoke') },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'Usage: pnpm --filter @qad/example-paper-tables start -- [--table T1,T2,T3,T4,T5,F3,F4] [--only id,id] [--smoke]',
  );
  process.exit(0);
}
const tables = values.table!.split(',').map(tableName);
const result = await runTables({
  tables,
  smoke: values.smoke!,
  smokeDir: values['smoke-dir']!,
  only: values.only?.split(','),
  configsDir: join(import.meta.dirname, '..', 'configs'),
  log: (line) => console.log(line),
});
for (const t of tables) console.log(`\n${result.markdown[t]}`);
