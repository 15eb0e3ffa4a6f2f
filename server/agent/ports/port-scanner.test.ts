import { describe, expect, it } from 'vitest';
import { parseListeningPorts, PortPoller } from './port-scanner';
import type { ListeningPort } from '../../contracts/preview';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1001 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1435 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1002 1 0000000000000000 100 0 0 10 0
   2: 00000000:1E61 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1003 1 0000000000000000 100 0 0 10 0
   3: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 1004 1 0000000000000000 20 4 30 10 -1
   4: 0100007F:D431 0100007F:1F90 06 00000000:00000000 03:00000A3C 00000000     0        0 0 3 0000000000000000
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0BB8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2001 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:0FA0 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2002 1 0000000000000000 100 0 0 10 0
   2: 00000000000000000000000000000000:22B8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2003 1 0000000000000000 100 0 0 10 0
   3: 0000000000000000FFFF00000100007F:2328 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2004 1 0000000000000000 100 0 0 10 0
   4: 000080FE00000000FF005002010000FE:2710 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2005 1 0000000000000000 100 0 0 10 0
   5: 00000000000000000000000001000000:1F91 00000000000000000000000001000000:D432 01 00000000:00000000 00:00000000 00000000  1000        0 2006 1 0000000000000000 20 4 30 10 -1
`;

describe('parseListeningPorts', () => {
  it('decodes IPv4 and IPv6 LISTEN sockets, dedupes by port, skips other states and the agent port', () => {
    expect(parseListeningPorts([TCP, TCP6], 7777)).toEqual([
      { port: 3000, address: '0.0.0.0' },
      { port: 4000, address: '::1' },
      { port: 5173, address: '127.0.0.1' },
      { port: 8888, address: '::' },
      { port: 9000, address: '::ffff:127.0.0.1' },
      { port: 10000, address: 'fe80::250:ff:fe00:1' },
    ]);
  });

  it('keeps the agent port when nothing is excluded, and tolerates empty or junk input', () => {
    expect(parseListeningPorts([TCP]).map((item) => item.port)).toEqual([3000, 5173, 7777]);
    expect(parseListeningPorts(['', 'garbage\n  0: zz', TCP6.split('\n')[0]!])).toEqual([]);
  });
});

describe('PortPoller', () => {
  it('reports only changes, only while active, and the full list again after idling', async () => {
    let active = true;
    let current: ListeningPort[] = [{ port: 3000, address: '0.0.0.0' }];
    const seen: ListeningPort[][] = [];
    const poller = new PortPoller({
      excludePort: 7777,
      intervalMs: 5,
      active: () => active,
      onChange: (ports) => seen.push(ports),
      scan: async () => current,
    });
    poller.start();
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await wait(40);
    expect(seen).toEqual([[{ port: 3000, address: '0.0.0.0' }]]);
    current = [...current, { port: 5173, address: '127.0.0.1' }];
    await wait(40);
    expect(seen).toHaveLength(2);
    active = false;
    current = [];
    await wait(40);
    expect(seen).toHaveLength(2);
    active = true;
    await wait(40);
    expect(seen).toEqual([[{ port: 3000, address: '0.0.0.0' }], expect.any(Array), []]);
    poller.dispose();
  });
});
