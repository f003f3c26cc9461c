/**
 * CRC32c (Castagnoli, reflected polynomial 0x82F63B78), the checksum of the PROXY protocol v2
 * PP2_TYPE_CRC32C TLV (proxy-protocol.txt 2.2.5): computed over the whole header with the
 * checksum field set to zero, sent in network byte order. Node's zlib.crc32 is the IEEE
 * polynomial, hence this table.
 */

const TABLE = ((): Uint32Array => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC32c of `buf[start..end)` as an unsigned 32-bit number. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
