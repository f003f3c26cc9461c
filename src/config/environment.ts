/**
 * The environment seen by the configuration: starts as the process environment, and is changed
 * while parsing by `setenv`, `presetenv`, `unsetenv` and `resetenv` in the global section, so
 * that later lines see the change (configuration.txt 3.1, "setenv"). HAProxy also exports
 * HAPROXY_CFGFILES, HAPROXY_LOCALPEER and friends; the loader sets those here.
 */
export class ConfigEnvironment {
  private vars: Map<string, string>;

  constructor(initial: NodeJS.ProcessEnv = process.env) {
    this.vars = new Map();
    for (const [k, v] of Object.entries(initial)) if (v !== undefined) this.vars.set(k, v);
  }

  get(name: string): string | undefined {
    return this.vars.get(name);
  }

  set(name: string, value: string): void {
    this.vars.set(name, value);
  }

  unset(name: string): void {
    this.vars.delete(name);
  }

  /** Keeps only the named variables (`resetenv`). */
  keepOnly(names: readonly string[]): void {
    const keep = new Set(names);
    for (const k of [...this.vars.keys()]) if (!keep.has(k)) this.vars.delete(k);
  }

  /** A plain object, e.g. for the environment of a `program` section. */
  toObject(): Record<string, string> {
    return Object.fromEntries(this.vars);
  }
}
