import { isCliInvocation, runKioskCli, CLI_USAGE } from './kiosk-cli';
import { cryptoRandom } from '../core/base/random';
import { KeytarSecretStore } from '../core/secrets/keytar-secret-store';

/** `npm run kiosk -- <command>`: the same IT commands the installed app takes, from the repo. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (!isCliInvocation(argv)) {
    console.error(CLI_USAGE);
    process.exit(2);
  }
  const code = await runKioskCli(
    argv,
    {
      readStdin: async () => {
        if (process.stdin.isTTY) console.error('Reading from standard input; end with Ctrl-D.');
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      },
      out: (line) => console.log(line),
      err: (line) => console.error(line),
    },
    { secrets: new KeytarSecretStore(), random: cryptoRandom, version: __KIOSK_VERSION__ },
  );
  process.exit(code);
}

void main();
