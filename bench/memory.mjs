// The wasm memory of a 10-minute run with retention (examples/throughput_wasm.rs,
// memory_profile): printed after each virtual minute; it must level off, not grow.
// Usage: node bench/memory.mjs <module dir> [minutes]
import { createRequire } from "node:module";

const [dir, minutes = "10"] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const { memory_profile } = require(`${dir}/throughput_wasm.js`);
const samples = memory_profile(Number(minutes)).split(",").map(Number);
const mb = (bytes) => (bytes / 1048576).toFixed(1);
console.log(`wasm memory by virtual minute (MB): ${samples.map(mb).join(" ")}`);
console.log(`wasm memory after ${samples.length} virtual minutes: ${mb(samples[samples.length - 1])} MB`);
