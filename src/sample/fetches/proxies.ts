/**
 * Run time of the proxy and server identity fetches (configuration.txt 7.3.3): fe_name,
 * be_name, be_id, srv_name, srv_id. Until a backend is chosen, the stream's backend is its frontend (HAProxy sets it so at creation).
 */
import type { FetchCompiler, Sample } from '../types.js';

/** Names as bytes, made once per name. */
const names = new Map<string, Buffer>();

function nameSample(name: string, smp: Sample): boolean {
  let b = names.get(name);
  if (b === undefined) {
    b = Buffer.from(name, 'latin1');
    names.set(name, b);
  }
  smp.type = 'str';
  smp.bytes = b;
  return true;
}

export const smpFetchFeName: FetchCompiler = () => (env, smp) => nameSample(env.frontendName, smp);
export const smpFetchBeName: FetchCompiler = () => (env, smp) => nameSample(env.backendName, smp);

export const smpFetchBeId: FetchCompiler = () => (env, smp) => {
  smp.type = 'sint';
  smp.num = env.backendId;
  return true;
};

/** srv_name, srv_id: the server the stream was sent to (none yet: no sample), or the checked one. */
export const smpFetchSrvName: FetchCompiler = () => (env, smp) => {
  const s = env.targetServer();
  return s !== undefined && nameSample(s.name, smp);
};

export const smpFetchSrvId: FetchCompiler = () => (env, smp) => {
  const s = env.targetServer();
  if (s === undefined) return false;
  smp.type = 'sint';
  smp.num = s.id;
  return true;
};
