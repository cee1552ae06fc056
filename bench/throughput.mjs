// Times the wasm build of the throughput workload (examples/throughput_wasm.rs) in Node.js:
// only run() is timed, as the native benchmark times only the ticks. Best of three.
// Usage: node bench/throughput.mjs <module dir> <records> <rate>
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const [dir, records, rate] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const { prepare, run, finish } = require(`${dir}/throughput_wasm.js`);
let best = Infinity;
for (let i = 0; i < 3; i++) {
  if (!prepare(Number(rate))) throw new Error("the benchmark scenario was refused");
  const started = performance.now();
  const ticks = run(Number(records));
  const seconds = (performance.now() - started) / 1000;
  finish();
  best = Math.min(best, seconds);
  console.error(`${records} records acknowledged in ${seconds.toFixed(3)} s (${ticks} ticks)`);
}
console.log(`wasm records/s: ${(Number(records) / best).toFixed(0)}`);
