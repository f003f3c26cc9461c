/** Starting the configured process: placeholder until the runtime lands in the next commit. */
import type { CliOptions } from '../cli-args.js';
import type { LoadResult } from '../config/loader.js';
import type { ConfigModel } from '../config/model/index.js';
import type { Console } from '../log/console.js';

export async function startProcess(_model: ConfigModel, _o: CliOptions, _r: LoadResult, console: Console): Promise<number> {
  console.message('alert', 'starting is not supported yet');
  return 1;
}
