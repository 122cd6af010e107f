// A separate process that keeps N clients busy for a while, then prints JSON. URLs are separated by
// spaces; client i asks the (i mod n)-th.
import http from 'node:http';

const [urls, clients, seconds, cookie] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), process.argv[5]];
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const end = Date.now() + seconds * 1000;
let ok = 0;
let errors = 0;
const latencies = [];

function once(url) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get(url, { agent, headers: { cookie } }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) ok++;
        else errors++;
        latencies.push(performance.now() - t0);
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
  });
}

async function client(i) {
  const url = urls.split(' ')[i % urls.split(' ').length];
  while (Date.now() < end) await once(url);
}

const t0 = Date.now();
await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
const elapsed = (Date.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const p = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
console.log(JSON.stringify({ requests: ok + errors, ok, errors, seconds: elapsed, rps: ok / elapsed, p50: p(0.5), p95: p(0.95) }));
agent.destroy();
