/**
 * Cleans up after the test process however it ends. The real servers of the fixtures are not
 * our children for good: a test that fails before close(), a test runner that kills us on a
 * timeout, a crash or a SIGKILL would leave slapd or mariadbd running and temp dirs behind.
 *
 * One small bash process per test process (started on first use, ~2 ms) reads the process
 * groups and directories to watch from a pipe whose other end only we hold. When that pipe
 * closes — our exit, whatever its cause, since the kernel closes it even on SIGKILL — it sends
 * SIGTERM to each group still listed, SIGKILL two seconds later, and removes each directory
 * still listed. A fixture that stops its server or removes its dir takes it off the list.
 *
 * The reaper is in its own session (detached), so a Ctrl-C or a signal to our process group
 * does not take it down before it has done its job; it holds none of our event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const SCRIPT = `
trap '' INT HUP TERM PIPE
declare -A groups dirs
while IFS= read -r line; do
	case $line in
		'+g '*) groups[\${line#+g }]=1 ;;
		'-g '*) unset "groups[\${line#-g }]" ;;
		'+d '*) dirs[\${line#+d }]=1 ;;
		'-d '*) unset "dirs[\${line#-d }]" ;;
	esac
done
if [ \${#groups[@]} -gt 0 ]; then
	for g in "\${!groups[@]}"; do kill -TERM -- "-$g" 2>/dev/null; done
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		alive=0
		for g in "\${!groups[@]}"; do kill -0 -- "-$g" 2>/dev/null && alive=1; done
		[ $alive = 0 ] && break
		sleep 0.2
	done
	for g in "\${!groups[@]}"; do kill -KILL -- "-$g" 2>/dev/null; done
fi
for d in "\${!dirs[@]}"; do rm -rf -- "$d"; done
`;

let reaper: ChildProcess | undefined;

function send(line: string): void {
  if (!reaper) {
    reaper = spawn('/bin/bash', ['-c', SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    // Its death (never expected) must not crash the tests: we only lose the safety net.
    reaper.on('error', () => undefined);
    reaper.stdin!.on('error', () => undefined);
    reaper.unref();
    (reaper.stdin as unknown as { unref(): void }).unref();
  }
  reaper.stdin!.write(`${line}\n`);
}

/** `pgid` (a detached child's pid) is killed, with its whole group, if we exit first. */
export function reapGroup(pgid: number): void {
  send(`+g ${pgid}`);
}

/** The group was stopped by its fixture: nothing to do for it any more. */
export function forgetGroup(pgid: number): void {
  send(`-g ${pgid}`);
}

/** `dir` is removed (recursively) when we exit, unless forgotten before. */
export function reapDir(dir: string): void {
  if (dir.includes('\n')) throw new Error(`a directory name with a newline cannot be tracked: ${JSON.stringify(dir)}`);
  send(`+d ${dir}`);
}

export function forgetDir(dir: string): void {
  send(`-d ${dir}`);
}
