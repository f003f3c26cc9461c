/** Shared helpers of the action tests: a listen section in HTTP mode and message filters. */
import { check, type Checked } from '../../helpers/config.js';

/** Lines 1-4: defaults with timeouts; lines 5-8: a listen section; the body starts on line 9. */
export const HEAD = 'defaults\n timeout client 1s\n timeout server 1s\n timeout connect 1s\nlisten f\n bind :80\n mode http\n server s 127.0.0.1:80\n';

/** The messages HAProxy would print (Portier's "not supported yet" notes left out). */
export function messages(r: Checked): string[] {
  return r.lines.filter((l) => !l.includes('is not supported yet'));
}

/** Checks HEAD followed by `body` (its first line is line 9). */
export async function run(body: string, head = HEAD): Promise<{ r: Checked; msgs: string[] }> {
  const r = await check(head + body);
  return { r, msgs: messages(r) };
}

/** The only message of a check, asserting there is exactly one. */
export async function only(body: string, head = HEAD): Promise<string> {
  const { msgs } = await run(body, head);
  if (msgs.length !== 1) throw new Error(`expected one message, got:\n${msgs.join('\n')}`);
  return msgs[0]!;
}
