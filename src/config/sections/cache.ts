/**
 * `cache <name>` (configuration.txt 6.2.1): an HTTP cache that proxies use with
 * `filter cache` / `http-request cache-use` / `http-response cache-store`.
 *
 *   total-max-size <megabytes>      max-object-size <bytes>     max-age <seconds>
 *   process-vary <on|off>           max-secondary-entries <number>
 *
 * The size checks run when the section ends, as HAProxy does. Several of HAProxy's refusals
 * here are printed as warnings but fail the configuration; Portier reports them as alerts
 * (see fatalWarning) so that the verdict is the same.
 */
import type { KeywordRow } from '../keywords.js';
import type { CacheModel } from '../model/sections.js';
import { atoi, tooMany } from './global/helpers.js';
import { checkHeader, fatalWarning, simpleSection, unknownIn } from './simple.js';

type Row = KeywordRow<CacheModel>;

/** strtoul()-like: digits with an optional sign; a negative number wraps to a huge one. */
function readUnsigned(text: string): number | undefined {
  if (!/^[ \t]*[-+]?[0-9]+$/.test(text)) return undefined;
  const v = Number(text);
  return v < 0 ? 2 ** 64 + v : v;
}

const totalMaxSize: Row = {
  name: 'total-max-size',
  status: 'notyet',
  summary: 'Memory of the cache, in megabytes (1..4095).',
  parse(ctx, args) {
    if (tooMany(ctx, args, 1)) return;
    const text = args[1] ?? '';
    const v = /^[ \t]*[-+]?[0-9]+$/.test(text) ? Number(text) : undefined;
    if (v === undefined) {
      fatalWarning(ctx, `total-max-size wrong value '${text}'`, 'tight');
      return;
    }
    if (v < 0 || v > 4095) {
      fatalWarning(ctx, `"total-max-size" (${v}) must not be greater than 4095`, 'tight');
      return;
    }
    ctx.state.totalMaxSize = v * 1024 * 1024;
  },
};

const maxObjectSize: Row = {
  name: 'max-object-size',
  status: 'notyet',
  summary: 'Largest object stored, in bytes (at most half of total-max-size).',
  parse(ctx, args) {
    if (tooMany(ctx, args, 1)) return;
    const text = args[1] ?? '';
    if (text === '') fatalWarning(ctx, "'max-object-size' expects a maximum file size parameter in bytes.", 'tight');
    const v = readUnsigned(text);
    if (v === undefined) {
      fatalWarning(ctx, `max-object-size wrong value '${text}'`, 'tight');
      return;
    }
    ctx.state.maxObjectSize = v;
  },
};

const maxAge: Row = {
  name: 'max-age',
  status: 'notyet',
  summary: 'Longest time an object stays in the cache, in seconds (default 60).',
  parse(ctx, args) {
    if (tooMany(ctx, args, 1)) return;
    if (!args[1]) {
      ctx.warning("'max-age' expects an age parameter in seconds.", 'tight');
      return;
    }
    ctx.state.maxAge = atoi(args[1]);
  },
};

/** HAProxy prints the missing-value warning twice. */
const processVary: Row = {
  name: 'process-vary',
  status: 'notyet',
  summary: 'Honour the Vary header of responses (on/off).',
  parse(ctx, args) {
    if (tooMany(ctx, args, 1)) return;
    const v = args[1] ?? '';
    const message = '\'process-vary\' expects "on" or "off" (enable or disable vary processing).';
    if (v === '') ctx.warning(message, 'tight');
    if (v !== 'on' && v !== 'off') {
      ctx.warning(message, 'tight');
      return;
    }
    ctx.state.processVary = v === 'on';
  },
};

const maxSecondaryEntries: Row = {
  name: 'max-secondary-entries',
  status: 'notyet',
  summary: 'Variants of one object kept when process-vary is on.',
  parse(ctx, args) {
    if (tooMany(ctx, args, 1)) return;
    const text = args[1] ?? '';
    if (text === '') fatalWarning(ctx, "'max-secondary-entries' expects a strictly positive number.", 'tight');
    const v = /^[ \t]*[-+]?[0-9]+$/.test(text) ? Number(text) : 0;
    if (v <= 0) {
      fatalWarning(ctx, `max-secondary-entries wrong value '${text}'`, 'tight');
      return;
    }
    ctx.state.maxSecondaryEntries = v;
  },
};

/** Checks made when the section ends: a size is required, objects at most half of it. */
function closeCache(load: import('../load-state.js').LoadState, cache: CacheModel): void {
  if (dropped.has(cache)) return;
  if (!cache.totalMaxSize) {
    load.diag.alert(undefined, `Size not specified for cache '${cache.name}'`);
    return;
  }
  const half = cache.totalMaxSize / 2;
  if (cache.maxObjectSize !== undefined && cache.maxObjectSize > half) {
    load.diag.alert(undefined, `"max-object-size" is limited to an half of "total-max-size" => ${half}`);
    return;
  }
  // Registered only now: a cache refused here does not count for duplicate names.
  (load.caches as CacheModel[]).push(cache);
}

/** Caches whose definition was refused by one of their lines: HAProxy drops them silently. */
const dropped = new WeakSet<CacheModel>();

/** A refused line drops the cache being defined (no "Size not specified" afterwards). */
function dropOnError(row: Row): Row {
  return {
    ...row,
    parse(ctx, args) {
      const before = ctx.alerts();
      row.parse(ctx, args);
      if (ctx.alerts() !== before) dropped.add(ctx.state);
    },
  };
}

export const cacheSection = simpleSection<CacheModel>({
  kind: 'cache',
  summary: 'An HTTP cache.',
  status: 'notyet',
  rows: [totalMaxSize, maxObjectSize, maxAge, processVary, maxSecondaryEntries].map(dropOnError),
  unknown: unknownIn('cache'),
  open(ctx, args) {
    // HAProxy does not check the characters of a cache name.
    const h = checkHeader(ctx, args, {
      missing: { message: "'cache' expects a <name> argument", then: 'abort' },
      maxArgs: 1,
    });
    if ('failed' in h) return undefined;
    if (ctx.load.caches.some((c) => c.name === h.name)) {
      ctx.alert(`Duplicate cache name '${h.name}'.`, 'tight');
      ctx.abort();
      return undefined;
    }
    return { where: ctx.where, name: h.name };
  },
  close(load, cache) {
    closeCache(load, cache);
  },
});
