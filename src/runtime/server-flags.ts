/**
 * HAProxy's server state numbers (server-t.h), printed as they are by `show servers state`
 * and the server-state file: keep the values.
 */

/** Operational state (srv_op_state). */
export const enum OpState {
  Stopped = 0,
  Starting = 1,
  Running = 2,
  Stopping = 3,
}

/** Administrative flags (srv_admin_state). */
export const enum AdminFlag {
  /** Forced into maintenance (`disabled`, `disable server`, `set server ... state maint`). */
  ForcedMaint = 0x01,
  /** Inherited from a tracked server. */
  InheritedMaint = 0x02,
  /** `disabled` in the configuration (informative: not part of Maint). */
  ConfigMaint = 0x04,
  /** Forced into drain (`set server ... state drain`). */
  ForcedDrain = 0x08,
  InheritedDrain = 0x10,
  /** Address resolution failed. */
  ResolveMaint = 0x20,
  /** Any maintenance. */
  Maint = 0x23,
  /** Any drain. */
  Drain = 0x18,
}
