import { Command } from 'commander';
import { loadCatalog } from '../content/load.js';
import { loadConfig } from '../config.js';
import { buildDrillReport, drillReportMarkdown } from '../core/drill-report.js';
import { UserError } from '../core/errors.js';
import { openDatabase } from '../store/db.js';
import { createDrillStore } from '../store/drill-store.js';
import { parsePositiveInt } from './io.js';

const FORMATS = ['md', 'json'] as const;

export function reportCommand(): Command {
  const report = new Command('report').description('export reports');
  report
    .command('drill')
    .description("a drill's after-action report")
    .argument('<id>', 'drill number (shown in the report)', (v) => parsePositiveInt('drill id', v))
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'md')
    .action((id: number, opts: { format: string }) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) throw new UserError(`--format must be one of ${FORMATS.join(', ')}`);
      const config = loadConfig();
      const catalog = loadCatalog(config.SPARRING_CONTENT_DIR);
      const db = openDatabase(config.SPARRING_DB);
      try {
        const drills = createDrillStore(db);
        const drill = drills.getDrill(id);
        if (!drill) throw new UserError(`no drill #${id} in ${config.SPARRING_DB}`);
        const scenario = catalog.drills.get(drill.scenarioId);
        if (!scenario) throw new UserError(`drill #${id} used scenario "${drill.scenarioId}", which is not in the content any more`);
        const built = buildDrillReport(drill, scenario, drills.events(id), drills.participants(id));
        console.log(opts.format === 'json' ? JSON.stringify(built, null, 2) : drillReportMarkdown(built));
      } finally {
        db.close();
      }
    });
  return report;
}
