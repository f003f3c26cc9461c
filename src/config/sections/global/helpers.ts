/**
 * Row builders for the global section (configuration.txt 3). Most global keywords follow a few
 * shapes (a flag, an integer, an on/off switch, a string set once); each builder reproduces
 * HAProxy's checks for that shape, in HAProxy's order, with its wording.
 */
import type { KeywordContext, KeywordRow } from '../../keywords.js';
import type { GlobalModel, TuneValue } from '../../model/global.js';
import type { KeywordStatus } from '../../types.js';
import { parseTime } from '../../units.js';

export type Row = KeywordRow<GlobalModel>;
export type Ctx = KeywordContext<GlobalModel>;

/** What every builder takes besides its own options. */
export interface RowBase {
  readonly name: string;
  readonly status: KeywordStatus;
  readonly summary: string;
  readonly note?: string;
}

/**
 * The statement's words as HAProxy's parser sees them. After a `default` prefix HAProxy shifts
 * the words left but leaves the last one in place, so that it appears twice ("default
 * busy-polling" reads as "busy-polling busy-polling"): reproduced so that the same messages come
 * out.
 */
export function effectiveArgs(ctx: Ctx, args: readonly string[]): readonly string[] {
  if (ctx.modifier === 'default' && args.length > 0) return [...args, args[args.length - 1]!];
  return args;
}

/** "'kw' cannot handle unexpected argument 'x'." when more than `max` arguments. */
export function tooMany(ctx: KeywordContext<unknown>, args: readonly string[], max: number, kwWords = 1): boolean {
  const extra = args[kwWords + max];
  if (extra === undefined) return false;
  ctx.alert(`'${args.slice(0, kwWords).join(' ')}' cannot handle unexpected argument '${extra}'.`);
  return true;
}

/**
 * C's atol()/atoi(): optional blanks and sign, then digits; anything else ends the number;
 * no digit at all gives 0. Wrapped to a signed 64-bit range is not needed for config values;
 * the result is clamped to what a double holds exactly.
 */
export function atol(text: string | undefined): number {
  const m = /^[ \t\n\v\f\r]*([-+]?)([0-9]+)/.exec(text ?? '');
  if (!m) return 0;
  const v = Number(m[2]);
  return m[1] === '-' ? -v : v;
}

/** atoi(): atol() truncated to a signed 32-bit integer, as C does on common platforms. */
export function atoi(text: string | undefined): number {
  return atol(text) | 0;
}

/**
 * strtol(text, &end, 10) with HAProxy's usual "the whole word must be a number" check:
 * undefined when there is no digit or something follows the digits.
 */
export function strictLong(text: string | undefined): number | undefined {
  const m = /^[ \t\n\v\f\r]*([-+]?[0-9]+)$/.exec(text ?? '');
  return m ? Number(m[1]) : undefined;
}

/** A setting without its own model field: kept by keyword name (tune.*, limits). */
export function setTune(ctx: Ctx, name: string, value: TuneValue): void {
  (ctx.state.tune ??= {})[name] = value;
}

export function getTune(state: GlobalModel, name: string): TuneValue | undefined {
  return state.tune?.[name];
}

/** A keyword without arguments (flags such as `noepoll`, `strict-limits`). */
export function flagRow(
  base: RowBase & {
    /** false: extra words are ignored, as HAProxy does for a few keywords. */
    readonly checkArgs?: boolean;
    readonly negatable?: boolean;
    apply(ctx: Ctx, on: boolean): void;
  },
): Row {
  return {
    name: base.name,
    status: base.status,
    summary: base.summary,
    note: base.note,
    negatable: base.negatable,
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (base.checkArgs !== false && tooMany(ctx, args, 0)) return;
      base.apply(ctx, ctx.modifier !== 'no');
    },
  };
}

/**
 * A keyword taking one integer read with atol(), as most of HAProxy's hard-coded global
 * keywords do ("maxconn", "ulimit-n", ...):
 *   too many arguments → "'kw' cannot handle unexpected argument 'x'."
 *   set before (stored value not zero) → "'kw' already specified. Continuing." (not fatal)
 *   missing → "'kw' expects an integer argument."
 */
export function atolRow(
  base: RowBase & {
    /** "already specified" when the stored value is not zero; 'continue' is a non-fatal alert. */
    readonly once?: 'continue';
    /** Message when the argument is missing (default: "'kw' expects an integer argument."). */
    readonly missing?: string;
    /** Extra check of the value read; returns HAProxy's message. */
    check?(value: number, text: string): string | undefined;
    /** Read the number strictly (digits only) instead of with atol(). */
    readonly read?: (text: string) => number | undefined;
    /** Where the value goes (default: tune[name]). */
    get?(state: GlobalModel): number | undefined;
    set?(ctx: Ctx, value: number): void;
    /** false: no "cannot handle unexpected argument" check. */
    readonly checkArgs?: boolean;
  },
): Row {
  const get = base.get ?? ((s: GlobalModel) => getTune(s, base.name) as number | undefined);
  const set = base.set ?? ((ctx: Ctx, v: number) => setTune(ctx, base.name, v));
  return {
    name: base.name,
    status: base.status,
    summary: base.summary,
    note: base.note,
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (base.checkArgs !== false && tooMany(ctx, args, 1)) return;
      if (base.once) {
        const prev = get(ctx.state);
        if (prev !== undefined && prev !== 0) {
          ctx.alertContinuing(`'${base.name}' already specified. Continuing.`);
          return;
        }
      }
      const text = args[1] ?? '';
      if (text === '') {
        ctx.alert(base.missing ?? `'${base.name}' expects an integer argument.`);
        return;
      }
      const value = base.read ? base.read(text) : atol(text);
      const err = value === undefined ? (base.check?.(NaN, text) ?? `'${base.name}' expects an integer argument.`) : base.check?.(value, text);
      if (err !== undefined) {
        ctx.alert(err);
        return;
      }
      set(ctx, value!);
    },
  };
}

/** `kw { on | off }`: "'kw' expects either 'on' or 'off' but got 'x'." */
export function onOffRow(base: RowBase & { set?(ctx: Ctx, on: boolean): void; experimental?: boolean; values?: readonly string[] }): Row {
  const values = base.values ?? ['on', 'off'];
  return {
    name: base.name,
    status: base.status,
    summary: base.summary,
    note: base.note,
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (base.experimental && !experimentalAllowed(ctx, base.name)) return;
      if (tooMany(ctx, args, 1)) return;
      const v = args[1] ?? '';
      if (!values.includes(v)) {
        const list = values.length === 2 ? `either '${values[0]}' or '${values[1]}'` : `either ${values.slice(0, -1).map((x) => `'${x}'`).join(', ')}, or '${values[values.length - 1]}'`;
        ctx.alert(`'${base.name}' expects ${list} but got '${v}'.`);
        return;
      }
      if (base.set) base.set(ctx, v === 'on');
      else setTune(ctx, base.name, values.length === 2 ? v === 'on' : v);
    },
  };
}

/** Experimental directives need `expose-experimental-directives` before them. */
export function experimentalAllowed(ctx: Ctx, name: string): boolean {
  if (ctx.state.exposeExperimental) return true;
  ctx.alert(`'${name}' directive is experimental, must be allowed via a global 'expose-experimental-directives'`);
  return false;
}

/** Outcome of reading a time the way HAProxy's parse_time_err() does. */
export type TimeRead = { value: number } | { error: 'char'; char: string } | { error: 'overflow' };

/**
 * Reads "<digits>[unit]" (configuration.txt 2.5) in `unit` by default. An empty text is a
 * bad character ('' : HAProxy points at the end of the string).
 */
export function readTime(text: string, unit: 'ms' | 's' = 'ms'): TimeRead {
  const r = parseTime(text, unit);
  if ('value' in r) return { value: r.value };
  // HAProxy 2.6 rounds a non-null sub-unit time up to 1 instead of refusing it.
  if (r.error === 'underflow') return { value: 1 };
  if (r.error === 'overflow') return { error: r.error };
  return { error: 'char', char: r.char ?? '' };
}

/**
 * A time setting worded as `hard-stop-after`, `grace` and `close-spread-time` are:
 *   missing  → "'kw' expects <time> as argument.\n"
 *   bad char → "unexpected character 'x' in argument to <kw>.\n"
 *   overflow → "timer overflow in argument '<v>' to '<kw>' (maximum value is 2147483647 ms or ~24.8 days)"
 * Extra words are ignored, as HAProxy does.
 */
export function timeRow(base: RowBase & { infinite?: boolean; set(ctx: Ctx, ms: number | 'infinite'): void }): Row {
  return {
    name: base.name,
    status: base.status,
    summary: base.summary,
    note: base.note,
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      const text = args[1] ?? '';
      if (text === '') {
        ctx.alert(`'${base.name}' expects <time> as argument.\n`);
        return;
      }
      if (base.infinite && text === 'infinite') {
        base.set(ctx, 'infinite');
        return;
      }
      const r = readTime(text);
      if ('value' in r) {
        base.set(ctx, r.value);
        return;
      }
      if (r.error === 'overflow') ctx.alert(`timer overflow in argument '${text}' to '${base.name}' (maximum value is 2147483647 ms or ~24.8 days)`);
      else ctx.alert(`unexpected character '${r.char}' in argument to <${base.name}>.\n`);
    },
  };
}

/**
 * A string set once, e.g. `ca-base <dir>`:
 *   too many → "'kw' cannot handle unexpected argument 'x'."
 *   set before → `dupe` message (fatal unless `dupeContinues`)
 *   missing → `missing` message
 */
export function stringRow(
  base: RowBase & {
    readonly missing: string;
    /** Style of the missing message (some are "parsing [f:l]:"). */
    readonly missingStyle?: 'spaced' | 'tight';
    readonly dupe?: string;
    readonly dupeContinues?: boolean;
    /** Order of the checks: HAProxy checks "already specified" before or after "missing". */
    readonly dupeFirst?: boolean;
    readonly maxArgs?: number;
    get(state: GlobalModel): unknown;
    set(ctx: Ctx, value: string, args: readonly string[]): void;
  },
): Row {
  return {
    name: base.name,
    status: base.status,
    summary: base.summary,
    note: base.note,
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (base.maxArgs !== Infinity && tooMany(ctx, args, base.maxArgs ?? 1)) return;
      const dupe = (): boolean => {
        if (base.dupe === undefined || base.get(ctx.state) === undefined) return false;
        if (base.dupeContinues) ctx.alertContinuing(base.dupe);
        else ctx.alert(base.dupe);
        return true;
      };
      if (base.dupeFirst !== false && dupe()) return;
      const v = args[1] ?? '';
      if (v === '') {
        ctx.alert(base.missing, base.missingStyle);
        return;
      }
      if (base.dupeFirst === false && dupe()) return;
      base.set(ctx, v, args);
    },
  };
}
