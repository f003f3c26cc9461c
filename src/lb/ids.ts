/**
 * Server ids as HAProxy assigns them (its cfgparse.c, after a backend is read): a server without
 * an `id` option takes the first id not used by another server at or after a counter that starts
 * at 1 and moves one past each server (past the id it took, for a server without `id`). So with "server a id 2", "server b", "server c", b gets 3 (2 is
 * taken) and c gets 4. Consistent hashing places servers on its ring by id, and `balance first`
 * fills them in id order: the runtime must give each server this id (LbServer.id).
 */

/** The ids of a backend's servers, in the order given, from their `id` options (or undefined). */
export function assignServerIds(servers: readonly { readonly options: { readonly [k: string]: unknown } }[]): number[] {
  const used = new Set<number>();
  for (const s of servers) {
    const id = s.options['id'];
    if (typeof id === 'number') used.add(id);
  }
  const out: number[] = [];
  let next = 1;
  for (const s of servers) {
    const id = s.options['id'];
    if (typeof id === 'number') out.push(id);
    else {
      while (used.has(next)) next++;
      used.add(next);
      out.push(next);
    }
    next++;
  }
  return out;
}
