/** A `server` line, or the `default-server` settings (configuration.txt 5.2). */
import type { Where } from '../types.js';
import type { AddressModel } from './address.js';

export interface ServerModel {
  readonly where: Where;
  readonly name: string;
  readonly address: AddressModel;
  /** Server options by name with their parsed values (true for flags), default-server merged in. */
  readonly options: Readonly<Record<string, unknown>>;
  /** From `server-template`: the template's name and index. */
  readonly template?: { readonly prefix: string; readonly index: number };
}
