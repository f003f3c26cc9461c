/** Runs the command line and exits with its status. */
import module from 'node:module';

// Compiled code of Portier's modules is cached on disk between runs: a quicker start for the
// short commands (-c, -cc, -v) that scripts and service managers run often.
module.enableCompileCache?.();

const { main } = await import('./cli.js');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Output is flushed by the event loop; if something still holds it open (a socket being
    // torn down), do not wait for it.
    setTimeout(() => process.exit(code), 200).unref();
  },
  (e: unknown) => {
    process.stderr.write(`[ALERT]    (${process.pid}) : internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
