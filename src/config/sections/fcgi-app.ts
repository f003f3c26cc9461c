/**
 * `fcgi-app <name>` (configuration.txt 10.1.1): a FastCGI application that backends use with
 * `use-fcgi-app`.
 *
 *   docroot <path>      index <script-name>      path-info <regex>
 *   [no] option keep-conn | get-values | mpxs-conns     option max-reqs <n>
 *   log-stderr global | log-stderr <target> ...
 *   pass-header <name> [if|unless <cond>]    set-param <name> <fmt> [if|unless <cond>]
 */
import { compileRegex } from '../../acl/regex.js';
import type { KeywordContext, KeywordRow } from '../keywords.js';
import type { FcgiAppModel } from '../model/sections.js';
import { parseLogTarget } from './global/log.js';
import { at, checkHeader, simpleSection } from './simple.js';

type Row = KeywordRow<FcgiAppModel>;
type Ctx = KeywordContext<FcgiAppModel>;

/** `kw <value>`: "'kw <value>' cannot handle unexpected argument 'x'." */
function valueRow(name: 'docroot' | 'index' | 'path-info', what: string, summary: string): Row {
  return {
    name,
    status: 'notyet',
    summary,
    parse(ctx, args) {
      const v = args[1] ?? '';
      if (v === '') {
        ctx.alert(`'${name}' expects <${what}> as argument.`);
        return;
      }
      if (args[2] !== undefined) {
        ctx.alert(`'${name} ${v}' cannot handle unexpected argument '${args[2]}'.`);
        return;
      }
      if (name === 'path-info') {
        const re = compileRegex(v);
        if ('error' in re) {
          ctx.alert(`'${v}' : ${re.error}.`);
          return;
        }
        ctx.state.pathInfo = v;
      } else if (name === 'docroot') ctx.state.docroot = v;
      else ctx.state.index = v;
    },
  };
}

const FCGI_FLAGS = ['keep-conn', 'get-values', 'mpxs-conns'];

const option: Row = {
  name: 'option',
  status: 'notyet',
  negatable: true,
  summary: 'keep-conn, get-values, mpxs-conns (flags) and max-reqs <n>.',
  parse(ctx, args) {
    const name = args[1] ?? '';
    if (name === '') {
      ctx.alert("'option' expects an option name.", 'tight');
      return;
    }
    const extra = (n: number): string | undefined => (ctx.modifier === 'default' ? args[args.length - 1] : args[n]);
    if (FCGI_FLAGS.includes(name)) {
      const x = extra(2);
      if (x !== undefined) {
        ctx.alert(`'option ${name}' cannot handle unexpected argument '${x}'.`);
        return;
      }
      ctx.state.options[name] = ctx.modifier !== 'no';
      return;
    }
    if (name === 'max-reqs') {
      if (ctx.modifier) {
        ctx.alert("negation/default is not supported for option 'max-reqs'.", 'tight');
        return;
      }
      if (args[3] !== undefined) {
        ctx.alert(`'option max-reqs' cannot handle unexpected argument '${args[3]}'.`);
        return;
      }
      if (!args[2]) {
        ctx.alert("option 'max-reqs' expects an integer argument.", 'tight');
        return;
      }
      const v = /^[0-9]+$/.test(args[2]) ? Number(args[2]) : 0;
      if (v <= 0) {
        ctx.alert("option 'max-reqs' expects a strictly positive integer argument.", 'tight');
        return;
      }
      ctx.state.maxReqs = v;
      return;
    }
    ctx.alert(`unknown option '${name}'.`);
  },
};

const logStderr: Row = {
  name: 'log-stderr',
  status: 'notyet',
  summary: 'Where the application\'s stderr messages are logged.',
  parse(ctx, args) {
    if (args[1] === 'global' && !args[2]) {
      ctx.state.logStderr.push({ global: true, where: ctx.where });
      return;
    }
    if (!args[1] || !args[2]) {
      ctx.alert('log-stderr : expects <address> and <facility> or global as arguments');
      return;
    }
    const r = parseLogTarget(ctx, args, 'log-stderr : ');
    if ('error' in r) {
      ctx.alert(`log-stderr : ${r.error}`);
      return;
    }
    ctx.state.logStderr.push(r.target);
  },
};

/** ACLs that exist in every proxy (configuration.txt 7.4): the only ones usable here. */
const PREDEFINED_ACLS = [
  'FALSE', 'HTTP', 'HTTP_1.0', 'HTTP_1.1', 'HTTP_2.0', 'HTTP_CONTENT', 'HTTP_URL_ABS', 'HTTP_URL_SLASH', 'HTTP_URL_STAR',
  'LOCALHOST', 'METH_CONNECT', 'METH_DELETE', 'METH_GET', 'METH_HEAD', 'METH_OPTIONS', 'METH_POST', 'METH_PUT',
  'METH_TRACE', 'RDP_COOKIE', 'REQ_CONTENT', 'TRUE', 'WAIT_END',
];

/**
 * The optional condition after a pass-header / set-param: "if|unless <terms>". Named ACLs
 * can only be the predefined ones (an fcgi-app has no `acl` lines); "{ ... }" anonymous ACLs
 * are accepted as written. Returns the condition text, or false after an alert.
 */
function condition(ctx: Ctx, args: readonly string[], from: number, label: string): string | undefined | false {
  if (args[from] === undefined) return undefined;
  if (args[from] !== 'if' && args[from] !== 'unless') {
    // HAProxy 2.6 prints its empty error buffer here.
    ctx.alert(`'${label}' : (null).`);
    return false;
  }
  let braces = 0;
  for (const w of args.slice(from + 1)) {
    if (w === '{') braces++;
    else if (w === '}') braces--;
    else if (braces === 0 && w !== '||' && w !== 'or') {
      const name = w.replace(/^!/, '');
      if (!PREDEFINED_ACLS.includes(name)) {
        ctx.alert(`'${label}' : no such ACL : '${name}'.`);
        return false;
      }
    }
  }
  return args.slice(from).join(' ');
}

const passHeader: Row = {
  name: 'pass-header',
  status: 'notyet',
  summary: 'A request header passed to the application as a parameter.',
  parse(ctx, args) {
    const name = args[1] ?? '';
    if (name === '') {
      ctx.alert("'pass-header' expects <name> as arguments.");
      return;
    }
    const cond = condition(ctx, args, 2, name);
    if (cond === false) return;
    ctx.state.passHeaders.push({ where: ctx.where, name, cond });
  },
};

const setParam: Row = {
  name: 'set-param',
  status: 'notyet',
  summary: 'A FastCGI parameter set from a log-format string.',
  parse(ctx, args) {
    const name = args[1] ?? '';
    if (name === '' || !args[2]) {
      ctx.alert("'set-param' expects <name> and <value> as arguments.");
      return;
    }
    // The format is compiled when a backend uses the application, as HAProxy does.
    const cond = condition(ctx, args, 3, name);
    if (cond === false) return;
    ctx.state.setParams.push({ where: ctx.where, name, format: args[2], cond });
  },
};

export const fcgiAppSection = simpleSection<FcgiAppModel>({
  kind: 'fcgi-app',
  summary: 'A FastCGI application.',
  status: 'notyet',
  rows: [
    valueRow('docroot', 'path', 'Directory of the scripts on the application side (DOCUMENT_ROOT).'),
    valueRow('index', 'filename', 'Script appended to URIs ending with a slash.'),
    valueRow('path-info', 'regex', 'Regex splitting the path into SCRIPT_NAME and PATH_INFO.'),
    option,
    logStderr,
    passHeader,
    setParam,
  ],
  unknown: { message: (w) => `unknown keyword '${w}' in 'fcgi-app' section`, style: 'tight' },
  open(ctx, args) {
    const h = checkHeader(ctx, args, {
      missing: { message: "'fcgi-app' expects <name> as argument.", style: 'tight', then: 'continue' },
      maxArgs: 1,
      invalid: { message: (c, n) => `character '${c}' is not permitted in 'fcgi-app' name '${n}'.`, style: 'tight', then: 'continue' },
    });
    const blank = (name: string): FcgiAppModel => ({ where: ctx.where, name, options: {}, logStderr: [], passHeaders: [], setParams: [] });
    if ('failed' in h) return h.failed === 'continue' ? blank(args[1] ?? '') : undefined;
    const prev = ctx.load.fcgiApps.find((f) => f.name === h.name);
    if (prev) ctx.alert(`fcgi-app section '${h.name}' has the same name as another one declared at ${at(prev.where)}.`, 'capital');
    const model = blank(h.name);
    ctx.load.fcgiApps.push(model);
    return model;
  },
});
