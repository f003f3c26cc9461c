/**
 * What sample expressions see during one health check (HAProxy's check session,
 * `check->sess`, created when a check run starts and freed when it ends): the checked server
 * and its backend (srv_name, srv_id, be_name, be_id), what the check received since its last
 * send (res.payload, res.len), and the variables. A check has no stream and no client: the
 * `txn`, `req` and `res` scopes do not exist (setting them does nothing), and the client's
 * addresses are unknown. The `sess` and `check` scopes start empty at each run; `proc` is the
 * process's.
 */
import type { EnvAddress, EnvServer, SampleEnv } from '../sample/types.js';
import { procVars, VarStore } from '../sample/var-store.js';
import type { VarScope } from '../sample/vars.js';

/** The checked server and its backend, fixed for the life of the check. */
export interface CheckIdentity {
  readonly backendName: string;
  readonly backendId: number;
  readonly server: EnvServer;
}

export class CheckEnv implements SampleEnv {
  /** Evaluations in checks are final (HAProxy's SMP_OPT_FINAL). */
  readonly final = true;
  readonly reqData = undefined;
  readonly reqMayGrow = false;
  /** Made on first use: most checks use no variable. */
  private sessVars?: VarStore;
  private checkVars?: VarStore;

  constructor(
    private readonly identity: CheckIdentity,
    /** What the check received since its last send. */
    private readonly received: () => Buffer,
  ) {}

  get frontendName(): string {
    return this.identity.backendName;
  }

  get backendName(): string {
    return this.identity.backendName;
  }

  get backendId(): number {
    return this.identity.backendId;
  }

  get resData(): Buffer {
    return this.received();
  }

  targetServer(): EnvServer {
    return this.identity.server;
  }

  srcAddr(): EnvAddress | undefined {
    return undefined;
  }

  dstAddr(): EnvAddress | undefined {
    return undefined;
  }

  vars(scope: VarScope): VarStore | undefined {
    if (scope === 'proc') return procVars;
    if (scope === 'check') return (this.checkVars ??= new VarStore());
    if (scope === 'sess') return (this.sessVars ??= new VarStore());
    return undefined;
  }
}
