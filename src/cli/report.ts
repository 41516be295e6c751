import { Command } from 'commander';
import { loadCatalog, type Catalog } from '../content/load.js';
import { mockReportFor } from '../core/mock/flow.js';
import { mockReportCsv, mockReportMarkdown } from '../core/mock/report.js';
import { openStores, storeLocation } from '../store/open.js';
import type { Stores } from '../store/ports.js';
import { loadConfig } from '../config.js';
import { buildDrillReport, drillReportMarkdown } from '../core/drill/report.js';
import { UserError } from '../core/kernel/errors.js';
import { parsePositiveInt } from './io.js';

const FORMATS = ['md', 'json'] as const;
const MOCK_FORMATS = ['md', 'csv', 'json'] as const;

function checkFormat(format: string, allowed: readonly string[]): void {
  if (!allowed.includes(format)) throw new UserError(`--format must be one of ${allowed.join(', ')}`);
}

/** Opens the configured database for one export and always closes it. */
async function withStores<T>(fn: (stores: Stores, catalog: Catalog, where: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const catalog = loadCatalog(config.SPARRING_CONTENT_DIR);
  const stores = await openStores(config);
  try {
    return await fn(stores, catalog, await storeLocation(config));
  } finally {
    await stores.close();
  }
}

export function reportCommand(): Command {
  const report = new Command('report').description('export reports');
  report
    .command('drill')
    .description("a drill's after-action report")
    .argument('<id>', 'drill number (shown in the report)', (v) => parsePositiveInt('drill id', v))
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'md')
    .action(async (id: number, opts: { format: string }) => {
      checkFormat(opts.format, FORMATS);
      await withStores(async ({ drills }, catalog, where) => {
        const drill = await drills.getDrill(id);
        if (!drill) throw new UserError(`no drill #${id} in ${where}`);
        const scenario = catalog.drills.get(drill.scenarioId);
        if (!scenario) throw new UserError(`drill #${id} used scenario "${drill.scenarioId}", which is not in the content any more`);
        const built = buildDrillReport(drill, scenario, await drills.events(id), await drills.participants(id));
        console.log(opts.format === 'json' ? JSON.stringify(built, null, 2) : drillReportMarkdown(built));
      });
    });
  report
    .command('mock')
    .description("a mock interview's scorecard: every question, the bot's and each scorer's score and notes")
    .argument('<id>', 'mock interview number', (v) => parsePositiveInt('mock id', v))
    .option('--format <format>', `one of ${MOCK_FORMATS.join(', ')}`, 'md')
    .action(async (id: number, opts: { format: string }) => {
      checkFormat(opts.format, MOCK_FORMATS);
      await withStores(async ({ practice, mocks }, catalog, where) => {
        const mock = await mocks.getMock(id);
        if (!mock) throw new UserError(`no mock interview #${id} in ${where}`);
        const built = await mockReportFor({ catalog, store: practice, mocks }, mock);
        const text = opts.format === 'json' ? `${JSON.stringify(built, null, 2)}\n` : opts.format === 'csv' ? mockReportCsv(built) : mockReportMarkdown(built);
        process.stdout.write(text);
      });
    });
  return report;
}
