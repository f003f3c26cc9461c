/**
 * The sections besides global and the proxies, one file each (configuration.txt 3.4-3.10,
 * 5.3.2, 6.2.1, 10.1.1).
 */
import type { SectionRow } from '../parser.js';
import { cacheSection } from './cache.js';
import { fcgiAppSection } from './fcgi-app.js';
import { httpErrorsSection } from './http-errors.js';
import { logForwardSection } from './log-forward.js';
import { mailersSection } from './mailers.js';
import { peersSection } from './peers.js';
import { programSection } from './program.js';
import { resolversSection } from './resolvers.js';
import { ringSection } from './ring.js';
import { userlistSection } from './userlist.js';

export const otherSections: SectionRow<any>[] = [
  userlistSection,
  peersSection,
  resolversSection,
  httpErrorsSection,
  mailersSection,
  ringSection,
  programSection,
  cacheSection,
  logForwardSection,
  fcgiAppSection,
];
