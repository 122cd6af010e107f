// A separate process that keeps N clients busy for a while, then prints JSON. URLs are separated by
// spaces; client i asks the (i mod n)-th. Each client is one keep-alive connection with one request
// in flight, written as prepared bytes and read only as far as the status line, Content-Length and
// the body's length — the load generator shares the machine's cores with the server under test, so
// it should cost as little as it can (Node's http client took ~0.24 ms of CPU per request here).
import net from 'node:net';

const [urls, clients, seconds, cookie] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), process.argv[5]];
const end = Date.now() + seconds * 1000;
let ok = 0;
let errors = 0;
const latencies = [];
const CRLF2 = Buffer.from('\r\n\r\n');

function client(i) {
  const list = urls.split(' ');
  const url = new URL(list[i % list.length]);
  const request = Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nCookie: ${cookie}\r\nConnection: keep-alive\r\n\r\n`);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    let buf = Buffer.alloc(0);
    let need = -1; // body bytes still to come once the head is read
    let status = 0;
    let t0 = 0;
    const send = () => {
      if (Date.now() >= end) return (need = -2), socket.end(), resolve();
      t0 = performance.now();
      need = -1;
      buf = Buffer.alloc(0);
      socket.write(request);
    };
    socket.on('connect', send);
    socket.on('data', (chunk) => {
      if (need < 0) {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        const at = buf.indexOf(CRLF2);
        if (at < 0) return;
        const head = buf.subarray(0, at).toString('latin1');
        status = Number(head.slice(9, 12));
        const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (!m) {
          // Only Content-Length bodies are read here; anything else is counted as an error.
          errors++;
          return socket.destroy(), resolve();
        }
        need = Number(m[1]) - (buf.length - at - 4);
      } else need -= chunk.length;
      if (need > 0) return;
      latencies.push(performance.now() - t0);
      if (status === 200) ok++;
      else errors++;
      send();
    });
    socket.on('error', () => {
      errors++;
      resolve();
    });
    // Closed by the server before the time was up: counted as an error (the client stops).
    socket.on('close', () => {
      if (Date.now() < end && need !== -2) errors++;
      need = -2;
      resolve();
    });
  });
}

const t0 = Date.now();
await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
const elapsed = (Date.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const p = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
const cpu = process.cpuUsage();
console.log(JSON.stringify({ requests: ok + errors, ok, errors, seconds: elapsed, rps: ok / elapsed, p50: p(0.5), p95: p(0.95), cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, ok + errors) }));
