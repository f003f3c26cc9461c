/**
 * `program <name>` (configuration.txt 3.7): an external program started and watched by the
 * master process (master-worker mode only, checked after the last line).
 *
 *   command <command> [arguments*]
 *   user <user name>        group <group name>
 *   [no] option start-on-reload
 */
import type { KeywordRow } from '../keywords.js';
import type { ProgramModel } from '../model/sections.js';
import { groupId, userId } from './global/accounts.js';
import { checkHeader, simpleSection, unknownIn } from './simple.js';

type Row = KeywordRow<ProgramModel>;

const command: Row = {
  name: 'command',
  status: 'notyet',
  summary: 'The program to run and its arguments.',
  parse(ctx, args) {
    if (!args[1]) {
      ctx.alert("'command' expects a command with optional arguments separated in words.", 'tight');
      return;
    }
    ctx.state.command = args.slice(1);
  },
};

function accountRow(kind: 'user' | 'group'): Row {
  return {
    name: kind,
    status: 'notyet',
    summary: kind === 'user' ? 'User the program runs as.' : 'Group the program runs as.',
    parse(ctx, args) {
      if (!args[1]) {
        ctx.alert(kind === 'user' ? "'user' expects a user name." : "'group' expects a group name.", 'tight');
        return;
      }
      if (args[2] !== undefined) {
        ctx.alert(`'${kind}' cannot handle unexpected argument '${args[2]}'.`);
        return;
      }
      const p = ctx.state;
      if (kind === 'user') {
        if (p.uid) {
          ctx.alertContinuing('user/uid already specified. Continuing.');
          return;
        }
        const id = userId(args[1]);
        if (id === undefined) {
          ctx.alert(`cannot find user id for '${args[1]}' (0:Success)`);
          return;
        }
        p.uid = id;
        p.user = args[1];
      } else {
        if (p.gid) {
          ctx.alertContinuing('group/gid already specified. Continuing.');
          return;
        }
        const id = groupId(args[1]);
        if (id === undefined) {
          ctx.alert(`cannot find group id for '${args[1]}' (0:Success)`);
          return;
        }
        p.gid = id;
        p.group = args[1];
      }
    },
  };
}

/** `[no] option start-on-reload`: the `no` prefix is accepted for `option` in every section. */
const option: Row = {
  name: 'option',
  status: 'notyet',
  summary: 'option start-on-reload: start a new instance of the program on each reload.',
  negatable: true,
  parse(ctx, args) {
    const name = args[1] ?? '';
    if (name === '') {
      ctx.alert("'option' expects an option name.", 'tight');
      return;
    }
    if (name !== 'start-on-reload') {
      ctx.alert(`unknown option '${name}'.`);
      return;
    }
    // After `default`, HAProxy sees the last word twice.
    const extra = ctx.modifier === 'default' ? name : args[2];
    if (extra !== undefined) {
      ctx.alert(`'option start-on-reload' cannot handle unexpected argument '${extra}'.`);
      return;
    }
    ctx.state.startOnReload = ctx.modifier !== 'no';
  },
};

export const programSection = simpleSection<ProgramModel>({
  kind: 'program',
  summary: 'An external program started and watched by the master process.',
  status: 'notyet',
  rows: [command, accountRow('user'), accountRow('group'), option],
  unknown: unknownIn('program'),
  open(ctx, args) {
    // HAProxy does not check the characters of a program name.
    const h = checkHeader(ctx, args, {
      missing: { message: "'program' expects an <id> argument", then: 'abort' },
      maxArgs: 1,
    });
    if ('failed' in h) return undefined;
    const prev = ctx.load.programs.find((p) => p.name === h.name);
    if (prev) {
      ctx.alert(`'${h.name}' program section already exists in the configuration.`, 'tight');
      ctx.abort();
      return undefined;
    }
    const model: ProgramModel = { where: ctx.where, name: h.name };
    ctx.load.programs.push(model);
    return model;
  },
});


