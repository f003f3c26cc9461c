/** A sample expression: a fetch followed by converters, e.g. req.hdr(host),lower. */
export interface SampleCallModel {
  readonly name: string;
  /** Arguments as written, after the second-level quote removal. */
  readonly args: readonly string[];
}

export interface SampleExprModel {
  readonly text: string;
  readonly fetch: SampleCallModel;
  readonly converters: readonly SampleCallModel[];
}
