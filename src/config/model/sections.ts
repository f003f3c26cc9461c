/**
 * The smaller sections: userlist, peers, resolvers, http-errors, mailers, ring, program, cache,
 * log-forward, fcgi-app (configuration.txt 3.4-3.10, 5.3.2, 6, 10).
 */
import type { Where } from '../types.js';

/** What every named section has. Each section type adds its own fields. */
export interface NamedSectionModel {
  readonly where: Where;
  readonly name: string;
  /** Settings by keyword, each a list of statements' arguments (repeatable keywords). */
  readonly settings: Record<string, (readonly string[])[]>;
}

export interface UserlistModel extends NamedSectionModel {
  readonly groups: { readonly name: string; readonly users: readonly string[]; readonly where: Where }[];
  readonly users: {
    readonly name: string;
    readonly password?: string;
    readonly insecure?: boolean;
    readonly groups: readonly string[];
    readonly where: Where;
  }[];
}

export interface PeersModel extends NamedSectionModel {
  readonly peers: { readonly name: string; readonly address?: string; readonly where: Where }[];
}

export type GenericSectionModel = NamedSectionModel;
