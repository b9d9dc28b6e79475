import { runPublisher } from './publisher';

/** `frontline-kiosk-publisher <command>` (dist/main/publisher.js), or `npm run publisher -- <command>` from the repo. */
void runPublisher(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
