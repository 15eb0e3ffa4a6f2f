// Is an IP address one Berth may connect to for a user (a git clone)? Only addresses in the
// global unicast range are: every spelling is parsed by ipaddr.js rather than matched by prefix,
// so IPv4-mapped (::ffff:7f00:1), IPv4-translated, IPv4-compatible (::127.0.0.1 = ::7f00:1) and
// NAT64 (64:ff9b::/96) addresses are turned back into the IPv4 address they carry and that one
// is checked. Anything unparsable counts as internal.
import ipaddr from 'ipaddr.js';

export interface AddressVerdict {
  internal: boolean;
  /** ipaddr.js's range name of the address finally checked ('unicast', 'loopback', 'private', …). */
  range: string;
  /** The IPv4 address carried inside an IPv6 one, when that is what was checked. */
  embedded?: string;
}

export function classifyAddress(address: string): AddressVerdict {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return { internal: true, range: 'invalid' };
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv6') {
    const embedded = embeddedIPv4(parsed as ipaddr.IPv6);
    if (embedded) {
      const range = embedded.range();
      return { internal: range !== 'unicast', range, embedded: embedded.toString() };
    }
  }
  const range = parsed.range();
  return { internal: range !== 'unicast', range };
}

export function isInternalAddress(address: string): boolean {
  return classifyAddress(address).internal;
}

/** The IPv4 address an IPv6 address stands for, for the forms that carry one in their last 32 bits. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = address.parts;
  const zeros = (from: number, to: number) => p.slice(from, to).every((part) => part === 0);
  const last32 = () => new ipaddr.IPv4([p[6]! >> 8, p[6]! & 0xff, p[7]! >> 8, p[7]! & 0xff]);
  // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (translated, RFC 6145)
  if (zeros(0, 5) && p[5] === 0xffff) return last32();
  if (zeros(0, 4) && p[4] === 0xffff && p[5] === 0) return last32();
  // ::a.b.c.d (IPv4-compatible, deprecated); :: and ::1 are not IPv4 addresses but themselves.
  if (zeros(0, 6) && !(p[6] === 0 && p[7]! <= 1)) return last32();
  // 64:ff9b::a.b.c.d (NAT64 well-known prefix): a gateway would connect to the IPv4 address.
  if (p[0] === 0x64 && p[1] === 0xff9b && zeros(2, 6)) return last32();
  return undefined;
}
