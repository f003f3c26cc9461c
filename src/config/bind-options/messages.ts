/**
 * How HAProxy lays out multi-line messages of bind and server options (its indent_msg()): a
 * message without line feed is printed as is; one line ending with a line feed loses it;
 * otherwise each line goes on its own line, indented, after a first line feed. The quirk of
 * the original is kept: a line starting right after an empty line keeps that line feed.
 */
export function indentMsg(msg: string, level = 2): string {
  const lfs = msg.split('\n').length - 1;
  if (lfs === 0) return msg;
  if (lfs === 1 && msg.endsWith('\n')) return msg.slice(0, -1);
  const pad = ' '.repeat(level);
  let i = 0;
  while (msg[i] === '\n') i++;
  let out = '';
  while (i < msg.length) {
    out += '\n' + pad;
    // At least one character is copied, even a line feed.
    do {
      out += msg[i++];
    } while (i < msg.length && msg[i] !== '\n');
    if (i < msg.length) i++;
  }
  return out;
}
