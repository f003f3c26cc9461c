/** Every section type of HAProxy 2.6 (configuration.txt 3-10), one file each. */
import type { SectionRow } from '../parser.js';
import { globalSection } from './global.js';
import { otherSections } from './others.js';
import { proxySections } from './proxy.js';

export const SECTIONS: readonly SectionRow<any>[] = [globalSection, ...proxySections, ...otherSections];
