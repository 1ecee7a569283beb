// The operations tools, as `npm run backup | restore | move-to-postgres -- <argument>` runs them
// from the sources (tsx), and `node packages/server/dist/ops.js <command> <argument>` from a
// build (the Docker image). They read DATA_DIR and the rest of the environment as the server
// does. A refusal or a failure is one plain sentence on stderr and a non-zero exit.
import { loadConfig, type Config } from '../config.js';
import { DataDirInUse } from '../db/embedded-claim.js';
import { NotABackup } from './backup-archive.js';
import { backup } from './backup.js';
import { CliError, type Say } from './cli-output.js';
import { moveToPostgres } from './move-to-postgres.js';
import { restore } from './restore.js';

const USAGE = `Usage (DATA_DIR as for npm start, ./data by default):
  npm run backup -- <file>            back up the embedded database and its files, running or not
  npm run restore -- <file>           make a new DATA_DIR from a backup
  npm run move-to-postgres -- <url>   copy the embedded database into an empty PostgreSQL database`;

const commands = new Map<string, (argument: string, config: Config, say: Say) => Promise<void>>([
  ['backup', backup],
  ['restore', restore],
  ['move-to-postgres', moveToPostgres],
]);

async function main(args: string[]): Promise<number> {
  const [name, argument, ...more] = args;
  const command = name === undefined ? undefined : commands.get(name);
  if (!command || !argument || more.length > 0) {
    console.error(USAGE);
    return 2;
  }
  if (process.platform === 'win32') {
    // A running server is found, and held, through a unix socket (db/embedded-claim.ts).
    console.error(
      'These tools need a unix system (Linux, macOS, WSL or Docker). On Windows, stop Parley and copy DATA_DIR.',
    );
    return 1;
  }
  try {
    await command(argument, loadConfig(), (line) => console.log(line));
    return 0;
  } catch (error) {
    const known =
      error instanceof CliError || error instanceof NotABackup || error instanceof DataDirInUse;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof NotABackup) console.error(`${argument} is ${message}.`);
    else console.error(known ? message : `The ${name} failed: ${message}`);
    return 1;
  }
}

// Read through `| head`, the rest of what a tool says goes nowhere; what it does goes on.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });

process.exitCode = await main(process.argv.slice(2));
