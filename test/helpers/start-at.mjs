// Runs the built CLI (bin/tracks.js) with this process's arguments, starting at
// TRACKS_START_AT (epoch ms): everything is loaded first, so two processes
// started this way call run() within a millisecond or so of each other.
const at = Number(process.env.TRACKS_START_AT);
await import('../../dist/main.js');
const wait = at - Date.now();
if (wait > 0) await new Promise((r) => setTimeout(r, wait));
while (Date.now() < at) {
  // the last few milliseconds, spinning
}
await import('../../bin/tracks.js');
