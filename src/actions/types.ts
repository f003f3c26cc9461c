/**
 * Rule actions: the types shared by the action table (configuration.txt 4.2, "http-request",
 * "http-response", "http-after-response", "tcp-request connection|session|content",
 * "tcp-response content"). Types only (STYLE.md 8).
 */
import type { KeywordContext } from '../config/keywords.js';
import type { ConditionModel } from '../config/model/acl.js';
import type { ProxyModel } from '../config/model/proxy.js';
import type { RuleModel } from '../config/model/rules.js';
import type { RowMeta } from '../config/types.js';
import type { SampleEnv, SampleUse } from '../sample/types.js';

/** The rule sets that take actions. */
export type RuleSet =
  | 'http-request'
  | 'http-response'
  | 'http-after-response'
  | 'tcp-request connection'
  | 'tcp-request session'
  | 'tcp-request content'
  | 'tcp-response content';

export const RULESETS: readonly RuleSet[] = [
  'http-request',
  'http-response',
  'http-after-response',
  'tcp-request connection',
  'tcp-request session',
  'tcp-request content',
  'tcp-response content',
];

export interface ActionRowBase extends RowMeta {
  /** Rulesets where the action is accepted ('http-request', 'tcp-request content', ...). */
  readonly rulesets: readonly RuleSet[];
}

/**
 * What an action parser sees. `arg(i)` reads the statement the way HAProxy's parsers read
 * their `args` array: arg(0) is the action word, arg(1) the first word after it, and a word
 * past the end reads as '' (HAProxy's argument arrays end with empty strings).
 */
export interface ActionInput {
  readonly ctx: KeywordContext<ProxyModel>;
  readonly proxy: ProxyModel;
  readonly ruleset: RuleSet;
  /** The action word as written ("set-var(txn.x)", "track-sc1", "deny"). */
  readonly name: string;
  /** Word `i` counted from the action word; '' past the end. */
  arg(i: number): string;
  /** Number of words from the action word to the end of the statement. */
  readonly count: number;
  /** All the words of the statement ("http-request", "deny", ...). */
  readonly words: readonly string[];
  /** Index of the action word in `words`. */
  readonly at: number;
  /**
   * Where the sample expressions of this rule are evaluated, by the proxy's capabilities
   * (HAProxy's SMP_VAL_* bits of the rule set: frontend and/or backend side).
   */
  readonly uses: readonly SampleUse[];
}

/** A successful parse: how many words the action used, and what it made of them. */
export interface ActionParsed {
  /** Index (counted like `arg`) of the first word the action did not use. */
  readonly next: number;
  readonly args: Readonly<Record<string, unknown>>;
  /** HAProxy's ACT_FLAG_FINAL: no rule after it runs when it has no condition. */
  readonly final?: boolean;
  /**
   * Set by actions that parse their own condition ("redirect"): the rule driver then does
   * not look for one.
   */
  readonly condition?: ConditionModel | null;
  /** A message HAProxy prints as a warning after a successful parse. */
  readonly warning?: string;
}

export type ActionResult = ActionParsed | { readonly error: string };

/**
 * What an action tells the rule engine once it ran (HAProxy's ACT_RET_*): go on with the next
 * rule, stop evaluating the rule set and let the request through ("accept"), or stop and deny
 * it ("reject": the connection is closed and counted as denied).
 */
export type ActionVerdict = 'continue' | 'stop' | 'deny';

/** A compiled action, run when its rule's condition matched. */
export type ActionFn = (env: SampleEnv) => ActionVerdict;

/** Compiles a rule's action once, at startup, from what its parser recorded. */
export type ActionCompiler = (rule: RuleModel) => ActionFn;

/**
 * One action: its name, where it applies, its grammar. Rows with the same name may exist for
 * different rule sets when HAProxy parses them differently ("capture", "track-sc").
 */
export interface ActionRow extends ActionRowBase {
  /**
   * The name is a prefix: "set-var" also matches "set-var(txn.x)" (HAProxy's
   * KWF_MATCH_PREFIX, shown as "set-var(*)" in the list of expected actions).
   */
  readonly prefix?: boolean;
  /**
   * Hard-coded in HAProxy's tcp rule parsers ("accept", "reject", "capture", "track-sc",
   * "expect-proxy", ...): looked up before the other actions, and their errors carry their
   * own prefix.
   */
  readonly builtin?: boolean;
  /**
   * Registered at run time by a Lua script ("lua.<name>"): not in HAProxy's fixed lists,
   * found by its prefix when the global section loads Lua code.
   */
  readonly lua?: boolean;
  /** HAProxy's KWF_EXPERIMENTAL: refused unless "expose-experimental-directives" is set. */
  readonly experimental?: boolean;
  parse(a: ActionInput): ActionResult;
  /** Its run-time implementation, for the rule sets that run (absent: not supported yet). */
  readonly run?: ActionCompiler;
}
