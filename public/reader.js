// The file reader worker: reads slices of a File on its own thread and
// transfers them (no copy) to an engine worker through a MessagePort,
// keeping a few slices ready ahead of the parser. A Blob read is served on
// the thread that asks for it, so reading here leaves the engines' threads
// to parsing. It serves each engine worker (the engine, and its helper for
// the second half of a large file) on a port of its own.
//
// Every message is [json, extra], the JSON of a type in src/protocol.rs:
// engine → reader (`ToReader`):
//   [{"type":"read","id","start","end","chunk","ahead"}, file]  start a load
//   [{"type":"ack","id"}, undefined]         one slice consumed: read one more
//   [{"type":"stop"}, undefined]             forget the load
// reader → engine (`FromReader`), in file order:
//   [{"type":"slice","id","offset"}, buf]    a slice (its ArrayBuffer transferred)
//   [{"type":"error","id","error"}, undefined]
self.onmessage = (event) => serve(event.data);

function serve(port) {
  let job = null;
  port.onmessage = (e) => {
    const [json, file] = e.data;
    const m = JSON.parse(json);
    if (m.type === 'read') {
      const end = Math.min(m.end, file.size);
      job = { id: m.id, file, chunk: m.chunk, offset: m.start, end, credit: m.ahead, running: false };
      pump(job);
    } else if (m.type === 'ack' && job && job.id === m.id) {
      job.credit += 1;
      pump(job);
    } else if (m.type === 'stop') {
      job = null;
    }
  };

  async function pump(j) {
    if (j.running) return;
    j.running = true;
    try {
      while (job === j && j.credit > 0 && j.offset < j.end) {
        j.credit -= 1;
        const start = j.offset;
        const end = Math.min(start + j.chunk, j.end);
        j.offset = end;
        const buf = await j.file.slice(start, end).arrayBuffer();
        if (job !== j) return;
        port.postMessage([JSON.stringify({ type: 'slice', id: j.id, offset: start }), buf], [buf]);
      }
    } catch (err) {
      if (job === j) {
        port.postMessage([JSON.stringify({ type: 'error', id: j.id, error: String(err) }), undefined]);
      }
    } finally {
      j.running = false;
    }
  }
}
