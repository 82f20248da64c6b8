import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { writeJsonLine } from './output.js';

/** `coda backup --out FILE` and `coda restore FILE`: the whole data folder as one checked zip, and back. */
export function backupCommands(program: Command, cli: CliContext): void {
  program
    .command('backup')
    .description('write the chats, settings and attachments to one file (works while the app runs; saved keys are not included)')
    .requiredOption('--out <file>', 'the backup file to write (.zip); it must not exist yet')
    .option('--json', 'print JSON: the file, its size and its manifest')
    .action(async (options: { out: string; json?: boolean }) => {
      const [{ dataDir, migrationsDir }, { Store }, { writeBackup }] = await Promise.all([
        cli.locations(),
        import('../store/store.js'),
        import('../backup/write-backup.js'),
      ]);
      const store = await Store.open(dataDir, migrationsDir);
      try {
        const written = await writeBackup(store, dataDir, options.out, options.json ? undefined : (step) => cli.err.write(`${step}…\n`));
        if (options.json) return writeJsonLine(cli.out, written);
        cli.out.write(
          `Backed up ${written.manifest.files.length} files (${megabytes(written.bytes)}) to ${written.file}.\n` +
            `Not included: ${written.manifest.notIncluded.join(', ')}.\n`,
        );
      } finally {
        await store.close();
      }
    });

  program
    .command('restore')
    .description('replace the chats, settings and attachments with those of a backup, after checking it (quit the app first)')
    .argument('<file>', 'a file written by coda backup or by Settings › Data › Back up')
    .option('--json', 'print JSON: the restored manifest and where the replaced data was kept')
    .action(async (file: string, options: { json?: boolean }) => {
      const [{ dataDir, migrationsDir }, { restoreBackup }] = await Promise.all([cli.locations(), import('../backup/restore-backup.js')]);
      const restored = await restoreBackup(file, dataDir, migrationsDir);
      if (options.json) return writeJsonLine(cli.out, restored);
      cli.out.write(
        `Restored the backup of ${restored.manifest.createdAt} (${restored.manifest.files.length} files) into ${dataDir}.\n` +
          (restored.previous ? `The data it replaced is kept in ${restored.previous}.\n` : ''),
      );
    });
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
