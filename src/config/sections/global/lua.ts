/**
 * Global Lua keywords (configuration.txt 3.1 and 3.2): lua-load, lua-load-per-thread,
 * lua-prepend-path and tune.lua.*. Portier has no Lua engine: the statements are checked (the
 * files must be readable, as HAProxy reads them while parsing) and reported as not supported.
 * A Lua syntax or runtime error that HAProxy would find is not detected.
 */
import { closeSync, openSync, statSync } from 'node:fs';
import { effectiveArgs, readTime, setTune, tooMany, type Ctx, type Row } from './helpers.js';
import { resolveConfigPath } from './paths.js';

const NO_LUA = 'Portier has no Lua engine';

/** Why a Lua file cannot be read, in Lua's words ("cannot open x: No such file or directory"). */
function unreadable(path: string, shown: string): string | undefined {
  try {
    if (statSync(path).isDirectory()) return `cannot read ${shown}: Is a directory`;
    closeSync(openSync(path, 'r'));
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const text = code === 'EACCES' ? 'Permission denied' : code === 'ENOTDIR' ? 'Not a directory' : 'No such file or directory';
    return `cannot open ${shown}: ${text}`;
  }
}

function loadRow(name: 'lua-load' | 'lua-load-per-thread'): Row {
  return {
    name,
    status: 'notyet',
    note: NO_LUA,
    summary: name === 'lua-load' ? 'Load a Lua file in the shared Lua state.' : 'Load a Lua file in each thread\'s own Lua state.',
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      const file = args[1] ?? '';
      if (file === '') {
        ctx.alert(name === 'lua-load' ? "'lua-load' expects a file name as parameter." : "'lua-load-per-thread' expects a file as parameter.");
        return;
      }
      const err = unreadable(resolveConfigPath(ctx.load, ctx.where, file), file);
      if (err) {
        ctx.alert(`error in Lua file '${file}': ${err}`);
        return;
      }
      lua(ctx).loads.push({ where: ctx.where, file, args: args.slice(2), perThread: name !== 'lua-load' });
    },
  };
}

function lua(ctx: Ctx): NonNullable<Ctx['state']['lua']> {
  return (ctx.state.lua ??= { loads: [], prependPaths: [] });
}

const prependPath: Row = {
  name: 'lua-prepend-path',
  status: 'notyet',
  note: NO_LUA,
  summary: 'Prepend a directory pattern to Lua\'s package.path or package.cpath.',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (tooMany(ctx, args, 2)) return;
    const path = args[1] ?? '';
    if (path === '') {
      ctx.alert("'lua-prepend-path' expects to receive a <path> as argument");
      return;
    }
    const type = args[2] || 'path';
    if (type !== 'path' && type !== 'cpath') {
      ctx.alert("'lua-prepend-path' expects <type> to either be 'path' or 'cpath'");
      return;
    }
    lua(ctx).prependPaths.push({ path, type });
  },
};

function timeoutRow(name: string, summary: string): Row {
  return {
    name,
    status: 'notyet',
    note: NO_LUA,
    summary,
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      const text = args[1] ?? '';
      const r = text === '' ? ({ error: 'char', char: '' } as const) : readTime(text);
      if ('error' in r) {
        if (r.error === 'overflow') ctx.alert(`timer overflow in argument <${text}> to <${name}> (maximum value is 2147483647 ms or ~24.8 days)`);
        else ctx.alert(`${name}: invalid timeout`);
        return;
      }
      setTune(ctx, name, r.value);
    },
  };
}

export const luaRows: Row[] = [
  loadRow('lua-load'),
  loadRow('lua-load-per-thread'),
  prependPath,
  {
    name: 'tune.lua.forced-yield',
    status: 'notyet',
    note: NO_LUA,
    summary: 'Lua instructions run before a forced yield.',
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      const text = args[1] ?? '';
      if (text !== '' && !/^[-+]?[0-9]+$/.test(text)) {
        ctx.alert('tune.lua.forced-yield: invalid number');
        return;
      }
      setTune(ctx, 'tune.lua.forced-yield', text === '' ? 0 : Number(text));
    },
  },
  {
    name: 'tune.lua.maxmem',
    status: 'notyet',
    note: NO_LUA,
    summary: 'Memory limit of the Lua states, in megabytes.',
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      const text = args[1] ?? '';
      if (text === '') {
        ctx.alert("'tune.lua.maxmem' expects an integer argument (Lua memory size in MB).");
        return;
      }
      const m = /^[ \t]*[-+]?[0-9]*/.exec(text)!;
      const rest = text.slice(m[0].length);
      if (rest !== '' || !/[0-9]/.test(m[0])) {
        const at = (/[0-9]/.test(m[0]) ? rest : text)[0];
        ctx.alert(`tune.lua.maxmem: invalid number ${text} (error at '${at}')`);
        return;
      }
      setTune(ctx, 'tune.lua.maxmem', Number(m[0]));
    },
  },
  timeoutRow('tune.lua.session-timeout', 'Maximum run time of a Lua action or fetch.'),
  timeoutRow('tune.lua.service-timeout', 'Maximum run time of a Lua service.'),
  timeoutRow('tune.lua.task-timeout', 'Maximum run time of a Lua task.'),
];
