/** Object names (proxies, servers, ...) allow letters, digits, '-', '_', '.' and ':'. */
export function invalidNameChar(name: string): string | undefined {
  const m = /[^A-Za-z0-9_.:-]/.exec(name);
  return m?.[0];
}
