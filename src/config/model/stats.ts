/** The stats page of a proxy (configuration.txt 4.2 "stats ..."). Types only. */
export interface ProxyStatsModel {
  readonly enabled: boolean;
  readonly settings: Readonly<Record<string, unknown>>;
}
