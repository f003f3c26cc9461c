/**
 * A server's health check (configuration.txt 5.2 "check", "inter", "fastinter", "downinter",
 * "rise", "fall"; HAProxy's check.c): runs the check plan on a timer, counts successes and
 * failures into `health`, logs results with `option log-health-checks`, and moves the server
 * through the state machine (server-state.ts). It also watches live traffic (`observe layer4`
 * with `error-limit` and `on-error`); as HAProxy, only a checked server is observed.
 *
 * `health` counts as HAProxy's does: 0..rise-1 is down (rising), rise..rise+fall-1 is up
 * (rise+fall-1 fully up). A server starts at `rise`, so one failure at startup marks it down.
 * A failure below `rise` drops straight to 0; a success at `rise` or above jumps to the top.
 */
import type { RuntimeBackend } from '../runtime/backend.js';
import { AdminFlag, OpState } from '../runtime/server-flags.js';
import { outcomeText, setRunning, setStopped, setStopping, type StateReason } from '../runtime/server-state.js';
import type { RuntimeServer } from '../runtime/server.js';
import { CheckRun, type CheckPlan } from './engine.js';
import { CheckResult, L57DATA, statusCode, statusRow, type CheckOutcome } from './status.js';

/** HAProxy's check state bits, as `show servers state` prints them (masked to 0x0F). */
const ST_INPROGRESS = 0x01;
const ST_CONFIGURED = 0x02;
const ST_ENABLED = 0x04;
const ST_PAUSED = 0x08;
const ST_AGENT = 0x10;

/** The longest info text kept (HAProxy's HCHK_DESC_LEN - 1). */
const DESC_MAX = 127;

export interface HealthCheckSettings {
  /** An agent check (agent.ts) rather than a health check. */
  readonly agent: boolean;
  /** `observe layer4`, `error-limit` (default 10), `on-error` (default fastinter). */
  readonly observe: boolean;
  readonly errorLimit: number;
  readonly onError: 'fastinter' | 'fail-check' | 'sudden-death' | 'mark-down';
  readonly rise: number;
  readonly fall: number;
  readonly inter: number;
  /** 0: same as inter. */
  readonly fastinter: number;
  readonly downinter: number;
  /** `option log-health-checks`. */
  readonly logResults: boolean;
  /** Global `spread-checks` (percent, 0..50). */
  readonly spread: number;
}

export class HealthCheck {
  health: number;
  /** HAProxy's status number, result, info text, layer-7 code, duration (-1: none yet). */
  status = statusCode('INI');
  result = CheckResult.Unknown;
  desc = '';
  code = 0;
  duration = -1;
  private paused = false;
  /** Consecutive traffic errors seen (observe), and times they reached error-limit. */
  private consecutiveErrors = 0;
  failedObservations = 0;
  private running?: CheckRun;
  /** When the next check runs (ms, performance.now()). */
  private nextAt = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly backend: RuntimeBackend,
    private readonly server: RuntimeServer,
    private readonly plan: CheckPlan,
    readonly settings: HealthCheckSettings,
  ) {
    this.health = settings.rise;
    if (server.admin & AdminFlag.Maint) {
      this.paused = true;
      this.health = 0;
    }
  }

  /** HAProxy's check state bits for `show servers state`. */
  get stateBits(): number {
    return ST_CONFIGURED | ST_ENABLED | (this.settings.agent ? ST_AGENT : 0) | (this.paused ? ST_PAUSED : 0) | (this.running ? ST_INPROGRESS : 0);
  }

  isUp(): boolean {
    return this.health >= this.settings.rise;
  }

  /** The first check runs after `delay` ms (startup spreads the servers' first checks). */
  start(delay: number): void {
    this.schedule(delay);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.running?.abort();
    this.running = undefined;
  }

  /** Maintenance: no more checks, health forgotten (agent checks go on). */
  pause(): void {
    if (this.settings.agent) return;
    this.paused = true;
    // A check under way would report into the reset health ("succeeded ... 1/2 DOWN"): HAProxy
    // can too, but its checks take microseconds where ours take milliseconds; drop it.
    this.running?.abort();
    this.running = undefined;
    this.health = 0;
  }

  /** Leaving maintenance: "up but check at once" (HAProxy sets health to rise). */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.health = this.settings.rise;
    if (!this.running) this.schedule(0);
  }

  /** HAProxy's srv_getinter: inter when fully up, downinter when down, fastinter in between. */
  interval(): number {
    const s = this.settings;
    if (this.health === s.rise + s.fall - 1) return s.inter;
    if (this.server.opState === OpState.Stopped && this.health === 0) return s.downinter || s.inter;
    return s.fastinter || s.inter;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextAt = performance.now() + delay;
    this.timer = setTimeout(() => this.runOnce(), delay);
  }

  /**
   * Live traffic reports a connection to the server succeeded or failed (HAProxy's
   * health_adjust for layer 4). After `error-limit` failures in a row, `on-error` applies:
   * fastinter (check sooner), fail-check (count a failed check), sudden-death (one more
   * failure marks it down), mark-down (down now). Every mode checks sooner (fastinter).
   */
  observe(ok: boolean): void {
    const s = this.settings;
    if (!s.observe) return;
    if (ok) {
      this.consecutiveErrors = 0;
      return;
    }
    if (++this.consecutiveErrors < s.errorLimit) return;
    const desc = `Detected ${this.consecutiveErrors} consecutive errors, last one was: L4 unsuccessful connection`;
    if (s.onError === 'sudden-death' && this.health > s.rise) this.health = s.rise + 1;
    if (s.onError === 'mark-down') this.health = s.rise;
    if (s.onError !== 'fastinter') {
      this.report({ status: 'HANA', desc }, -1);
      this.notify();
    }
    this.consecutiveErrors = 0;
    this.failedObservations++;
    if (s.fastinter > 0 && !this.running && performance.now() + s.fastinter < this.nextAt) this.schedule(s.fastinter);
  }

  private runOnce(): void {
    this.timer = undefined;
    if (this.stopped) return;
    if (this.paused) {
      this.schedule(this.settings.inter);
      return;
    }
    const started = performance.now();
    // The duration is taken at the first report of a run (HAProxy measures it once).
    let duration = -1;
    const took = (): number => (duration >= 0 ? duration : (duration = Math.round(performance.now() - started)));
    const run = new CheckRun(
      this.plan,
      (o) => {
        this.running = undefined;
        this.report(o, took());
        this.notify();
        this.scheduleNext();
      },
      (o) => this.report(o, took()),
    );
    this.running = run;
    run.start();
  }

  private scheduleNext(): void {
    const inter = this.interval();
    let spread = 0;
    if (this.settings.spread > 0) {
      const rv = Math.floor((inter * this.settings.spread) / 100);
      spread = rv - Math.floor(2 * rv * Math.random());
    }
    this.schedule(Math.max(0, inter + spread));
  }

  /** HAProxy's set_server_check_status: the new status, health counted, the result logged. */
  report(o: CheckOutcome, duration: number): void {
    const previous = this.status;
    const code = statusCode(o.status);
    const row = statusRow(code);
    this.status = code;
    // HAProxy keeps HCHK_DESC_LEN - 1 bytes of the info text.
    this.desc = (o.desc ?? '').slice(0, DESC_MAX);
    this.code = o.code ?? 0;
    this.duration = duration;
    if (row.result !== CheckResult.Unknown) this.result = row.result;
    if (this.result === CheckResult.Neutral) return;
    const s = this.settings;
    let changed = false;
    if (this.result === CheckResult.Failed) {
      // An agent that cannot be reached changes nothing: only what it says counts.
      if ((!s.agent || code >= L57DATA) && this.health > 0) {
        changed = true;
        this.server.failedChecks++;
        this.health--;
        if (this.health < s.rise) this.health = 0;
      }
    } else if (this.health < s.rise + s.fall - 1) {
      changed = true;
      this.health++;
      if (this.health >= s.rise) this.health = s.rise + s.fall - 1;
    }
    if (!s.logResults || (code === previous && !changed)) return;
    const srv = this.server;
    const verdict = this.result === CheckResult.CondPass ? 'conditionally succeeded' : this.result >= CheckResult.Passed ? 'succeeded' : 'failed';
    const up = this.health >= s.rise;
    const position = up ? `${this.health - s.rise + 1}/${s.fall}` : `${this.health}/${s.rise}`;
    const word = up ? (srv.weight > 0 ? 'UP' : 'DRAIN') : 'DOWN';
    const text = `${s.agent ? 'Agent' : 'Health'} check for ${srv.backup ? 'backup ' : ''}server ${this.backend.name}/${srv.name} ${verdict}${outcomeText({ ...o, desc: this.desc }, duration)}, status: ${position} ${word}.`;
    this.backend.events.warn(text);
    this.backend.events.log('notice', text);
  }

  /** The reason given to the state machine: none when the result was already logged. */
  private reason(): StateReason {
    if (this.settings.logResults) return undefined;
    const row = statusRow(this.status);
    return { kind: 'check', outcome: { status: row.name as CheckOutcome['status'], desc: this.desc, code: this.status >= L57DATA ? this.code : undefined }, duration: this.duration };
  }

  /**
   * HAProxy's check_notify_failure / _success / _stopping: down when this check failed to 0
   * (an agent only when it said so), up when every check of the server (health and agent)
   * is up.
   */
  private notify(): void {
    const srv = this.server;
    if (this.result === CheckResult.Failed) {
      if (this.settings.agent && this.status !== statusCode('L7STS')) return;
      if (this.health > 0) return;
      setStopped(this.backend, srv, this.reason());
      return;
    }
    if (srv.admin & AdminFlag.Maint) return;
    if (srv.check && !srv.check.isUp()) return;
    if (srv.agent && !srv.agent.isUp()) return;
    if (this.result === CheckResult.CondPass) {
      if (!this.settings.agent) setStopping(this.backend, srv, this.reason());
    } else if (this.result === CheckResult.Passed) {
      if (this.settings.agent && srv.opState === OpState.Stopping) return;
      setRunning(this.backend, srv, this.reason());
    }
  }
}
