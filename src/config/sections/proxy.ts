/**
 * Proxy sections: defaults, frontend, backend, listen (configuration.txt 4). They share one
 * keyword table; each row says where it applies (capabilities, 4.1's matrix). A new proxy
 * starts as a copy of the defaults section it inherits from: the one named by "from", or the
 * last defaults section read.
 */
import { KeywordTable, type KeywordContext, type KeywordRow } from '../keywords.js';
import type { LoadState } from '../load-state.js';
import type { ProxyKind, ProxyModel } from '../model/proxy.js';
import type { SectionRow } from '../parser.js';
import { didYouMean } from '../suggest.js';
import { CAP_ALL, CAP_BE, CAP_DEF, CAP_FE, CAP_NAMED_DEF_ONLY, type Where } from '../types.js';
import { invalidNameChar } from './names.js';
import { proxyRows, setupProxyFamilies } from './proxy/index.js';

export const proxyKeywords = new KeywordTable<ProxyModel>('proxy', proxyRows);
setupProxyFamilies(proxyKeywords);

const CAPS: Record<ProxyKind, number> = {
  defaults: CAP_DEF,
  frontend: CAP_FE,
  backend: CAP_BE,
  listen: CAP_FE | CAP_BE,
};


/** "frontend 'fe'", "backend 'be'", "proxy 'li'" (HAProxy calls a listen section a proxy). */
export function proxyTypeName(p: ProxyModel): string {
  return p.kind === 'listen' ? 'proxy' : p.kind;
}

export function describeProxy(p: ProxyModel): string {
  return `${proxyTypeName(p)} '${p.name}'`;
}

function newProxy(kind: ProxyKind, name: string, where: Where, from: ProxyModel | undefined): ProxyModel {
  const base: ProxyModel = from
    ? structuredClone(from)
    : {
        kind,
        name,
        where,
        cap: 0,
        mode: 'tcp',
        disabled: false,
        binds: [],
        servers: [],
        defaultServer: {},
        timeouts: {},
        options: {},
        logs: [],
        acls: [],
        rules: [],
        settings: {},
      };
  // What a defaults section cannot pass on: identity, listeners, servers, ACLs and rules
  // (named defaults' rules run from the defaults section itself, see `from`).
  return {
    ...base,
    kind,
    name,
    where,
    cap: CAPS[kind],
    from: from ? from.name : undefined,
    id: undefined,
    description: undefined,
    binds: [],
    servers: [],
    acls: [],
    rules: [],
    defaultBackend: kind === 'backend' ? undefined : base.defaultBackend,
  };
}

/** Finds the defaults section named `name` among those read so far. */
function findDefaults(ctx: KeywordContext<undefined>, name: string, what: string): ProxyModel | undefined | null {
  const found = ctx.load.defaults.filter((d) => d.name === name);
  if (found.length === 0) {
    ctx.alert(`defaults section '${name}' not found for ${what}.`);
    return null;
  }
  if (found.length > 1) {
    ctx.alert(
      `ambiguous defaults section name '${name}' referenced by ${what} exists at least at ${found[0]!.where.file}:${found[0]!.where.line} and ${found[1]!.where.file}:${found[1]!.where.line}.`,
    );
    return null;
  }
  return found[0];
}

/** Proxies whose names would clash: same name and a common capability (listen has both). */
function clashingProxy(load: LoadState, kind: ProxyKind, name: string): ProxyModel | undefined {
  const cap = CAPS[kind];
  return load.proxies.find((p) => p.name === name && (p.cap & cap) !== 0);
}

function proxySection(kind: ProxyKind, summary: string): SectionRow<ProxyModel> {
  return {
    name: kind,
    kind,
    status: 'supported',
    summary,
    keywords: proxyKeywords,
    modifiers: true,
    open(ctx, args) {
      const name = args[1];
      if (name === undefined && kind !== 'defaults') {
        ctx.alert(`'${kind}' expects an <id> argument`);
        ctx.abort();
        return undefined;
      }
      const pname = name ?? '';
      const bad = invalidNameChar(pname);
      if (bad !== undefined) {
        ctx.alert(`character '${bad}' is not permitted in '${kind}' name '${pname}'.`);
        return undefined;
      }
      let fromName: string | undefined;
      if (args.length > 2) {
        if (args[2] !== 'from' || args[3] === undefined || args.length > 4) {
          ctx.alert("please use the 'bind' keyword for listening addresses.");
          return undefined;
        }
        fromName = args[3];
      }
      const what = `${kind === 'listen' ? 'proxy' : kind} '${pname}'`;
      let parent: ProxyModel | undefined;
      if (fromName !== undefined) {
        const d = findDefaults(ctx, fromName, what);
        if (d === null) return undefined;
        parent = d;
      } else {
        parent = ctx.load.lastDefaults;
      }
      if (kind !== 'defaults') {
        const other = clashingProxy(ctx.load, kind, pname);
        if (other) {
          ctx.alert(
            `${kind === 'listen' ? 'proxy' : kind} '${pname}' has the same name as ${proxyTypeName(other)} '${other.name}' declared at ${other.where.file}:${other.where.line}.`,
            'capital',
          );
        }
      }
      const proxy = newProxy(kind, pname, ctx.where, parent);
      if (kind === 'defaults') {
        ctx.load.defaults.push(proxy);
        ctx.load.lastDefaults = proxy;
      } else {
        ctx.load.proxies.push(proxy);
      }
      return proxy;
    },
    orphan(ctx) {
      ctx.alert("'listen' or 'defaults' expected.");
    },
    admit(ctx, row) {
      return admitProxyKeyword(ctx, row);
    },
    unknown(ctx, args) {
      ctx.alert(`unknown keyword '${args[0]}' in '${kind}' section${didYouMean(args[0]!, proxyKeywords.firstWords())}`);
    },
    badModifier(ctx, row) {
      if (row.name.startsWith('option ')) {
        ctx.alert(`negation/default is not supported for option '${row.name.slice(7)}'.`, 'tight');
      } else {
        ctx.alert(
          'negation/default currently supported only for options, log, busy-polling, set-dumpable, strict-limits, insecure-fork-wanted and numa-cpu-mapping.',
          'tight',
        );
      }
    },
  };
}

/** Checks a keyword against the proxy's capabilities (configuration.txt 4.1). */
function admitProxyKeyword(ctx: KeywordContext<ProxyModel>, row: KeywordRow<ProxyModel>): boolean {
  const proxy = ctx.state;
  const cap = row.cap ?? CAP_ALL;
  const shown = row.name.startsWith('option ') ? row.name.slice(7) : row.name;
  if (proxy.kind === 'defaults') {
    if (!(cap & CAP_DEF)) {
      ctx.alert(`'${shown}' not allowed in 'defaults' section.`);
      return false;
    }
    if (cap & CAP_NAMED_DEF_ONLY && proxy.name === '') {
      ctx.alert(`'${shown}' not allowed in anonymous 'defaults' section.`);
      return false;
    }
    return true;
  }
  if ((cap & proxy.cap) !== 0) return true;
  const missing = proxy.cap & CAP_FE ? 'backend' : 'frontend';
  if (row.capMismatch === 'alert') {
    ctx.alert(`'${shown}' not allowed because ${describeProxy(proxy)} has no ${missing} capability.`);
  } else {
    ctx.warning(`'${shown}' ignored because ${describeProxy(proxy)} has no ${missing} capability.`);
  }
  return false;
}

export const proxySections: SectionRow<ProxyModel>[] = [
  proxySection('defaults', 'Default settings for the proxies that follow (optionally named, see "from").'),
  proxySection('frontend', 'Accepts client connections (bind lines) and picks a backend.'),
  proxySection('backend', 'A set of servers and how to balance connections across them.'),
  proxySection('listen', 'A frontend and a backend in one section.'),
];
