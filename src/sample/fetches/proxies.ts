/**
 * Run time of the proxy identity fetches (configuration.txt 7.3.3): fe_name, be_name. Until a
 * backend is chosen, the stream's backend is its frontend (HAProxy sets it so at creation).
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
