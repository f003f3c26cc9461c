/** A `bind` line (configuration.txt 5.1) or a stats socket. */
import type { Where } from '../types.js';
import type { AddressModel } from './address.js';

export interface BindModel {
  readonly where: Where;
  /** One bind line may list several addresses ("ipv4@:80,:81"). */
  readonly addresses: readonly AddressModel[];
  /** Bind options by name, with their parsed values (true for flags). */
  readonly options: Readonly<Record<string, unknown>>;
}
