/**
 * Replays the haproxy 2.6.12 transcripts of one area (cases/<area>.json, see transcripts.ts):
 * for every configuration, Portier must give haproxy's verdict and the same alerts and
 * warnings, in the same order, with the same lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CASES_DIR, portierLines, transcriptConfig, type Transcript } from './transcripts.js';

export function replayArea(area: string): void {
  const transcripts = JSON.parse(readFileSync(join(CASES_DIR, `${area}.json`), 'utf8')) as Transcript[];
  const byCase = new Map<string, Transcript[]>();
  for (const t of transcripts) byCase.set(t.case, [...(byCase.get(t.case) ?? []), t]);
  for (const [name, list] of byCase) {
    test(`${area}: ${name}`, async () => {
      for (const t of list) {
        const cfg = transcriptConfig(t);
        const got = await portierLines(cfg);
        assert.deepEqual(got, { ok: t.ok, lines: t.lines }, `in section kind ${t.kind}:\n${cfg}`);
      }
    });
  }
}
