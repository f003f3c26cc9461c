/**
 * Global HTTP keywords (configuration.txt 3.1): HTTP/1 header case adjustment, HTTP/1.0
 * payload acceptance, the h2 websocket workaround, and the internal HTTP client's settings.
 * The files they name are read after the last line (checks/global.ts), as HAProxy does.
 */
import { effectiveArgs, flagRow, stringRow, tooMany, type Ctx, type Row } from './helpers.js';

function httpclient(ctx: Ctx): NonNullable<Ctx['state']['httpclient']> {
  return (ctx.state.httpclient ??= {});
}

function remember(ctx: Ctx, key: string): void {
  const hc = httpclient(ctx);
  (hc.where ??= {})[key] = ctx.where;
}

const h1CaseAdjust: Row = {
  name: 'h1-case-adjust',
  status: 'notyet',
  summary: 'Case to give one header name when sent over HTTP/1 (with option h1-case-adjust-bogus-*).',
  parse(ctx, rawArgs) {
    const args = effectiveArgs(ctx, rawArgs);
    if (tooMany(ctx, args, 2)) return;
    const from = args[1] ?? '';
    const to = args[2] ?? '';
    if (from === '' || to === '') {
      ctx.alert("'h1-case-adjust' expects <from> and <to> as argument.");
      return;
    }
    if (from.toLowerCase() !== to.toLowerCase()) {
      ctx.alert('<from> and <to> must not differ execpt the case');
      return;
    }
    const table = (ctx.state.h1CaseAdjust ??= {});
    const key = from.toLowerCase();
    if (table[key] !== undefined) {
      ctx.alert(`duplicate entry '${from}'`);
      return;
    }
    table[key] = to;
  },
};

const h1CaseAdjustFile: Row = stringRow({
  name: 'h1-case-adjust-file',
  status: 'notyet',
  summary: 'File of "<from> <to>" header name pairs for HTTP/1 case adjustment.',
  missing: "'h1-case-adjust-file' expects <file> as argument.",
  get: () => undefined,
  set: (ctx, v) => void (ctx.state.h1CaseAdjustFile = { where: ctx.where, file: v }),
});

function choiceRow(name: string, key: 'resolversPrefer' | 'sslVerify', values: readonly [string, string], summary: string): Row {
  return {
    name,
    status: 'notyet',
    note: 'the internal HTTP client is not built yet',
    summary,
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (tooMany(ctx, args, 1)) return;
      const v = args[1] ?? '';
      if (!values.includes(v)) {
        ctx.alert(`'${name}' expects '${values[0]}' or '${values[1]}' as argument.`);
        // HAProxy 2.6 then prints its (empty) error buffer as a second alert.
        ctx.alert('(null)');
        return;
      }
      (httpclient(ctx) as Record<string, unknown>)[key] = v;
      remember(ctx, key);
    },
  };
}

export const httpRows: Row[] = [
  flagRow({
    name: 'h1-accept-payload-with-any-method',
    status: 'notyet',
    summary: 'Accept a payload in HTTP/1.0 GET, HEAD and DELETE requests.',
    apply: (ctx) => void ((ctx.state.flags ??= {})['h1-accept-payload-with-any-method'] = true),
  }),
  h1CaseAdjust,
  h1CaseAdjustFile,
  flagRow({
    name: 'h2-workaround-bogus-websocket-clients',
    status: 'notyet',
    summary: 'Do not announce HTTP/2 websocket support to clients.',
    apply: (ctx) => void ((ctx.state.flags ??= {})['h2-workaround-bogus-websocket-clients'] = true),
  }),
  {
    name: 'httpclient.resolvers.id',
    status: 'notyet',
    note: 'the internal HTTP client is not built yet',
    summary: 'Resolvers section used by the internal HTTP client.',
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (tooMany(ctx, args, 1)) return;
      httpclient(ctx).resolversId = args[1] ?? '';
      remember(ctx, 'resolversId');
    },
  },
  choiceRow('httpclient.resolvers.prefer', 'resolversPrefer', ['ipv4', 'ipv6'], 'Address family preferred by the internal HTTP client.'),
  {
    name: 'httpclient.ssl.ca-file',
    status: 'notyet',
    note: 'the internal HTTP client is not built yet',
    summary: 'CA file the internal HTTP client verifies servers with.',
    parse(ctx, rawArgs) {
      const args = effectiveArgs(ctx, rawArgs);
      if (tooMany(ctx, args, 1)) return;
      httpclient(ctx).sslCaFile = args[1] ?? '';
      remember(ctx, 'sslCaFile');
    },
  },
  choiceRow('httpclient.ssl.verify', 'sslVerify', ['none', 'required'], 'Whether the internal HTTP client verifies server certificates.'),
];
