// The file reader worker: reads slices of a File on its own thread and
// transfers them (no copy) to an engine worker through a MessagePort,
// keeping a few slices ready ahead of the parser. A Blob read is served on
// the thread that asks for it, so reading here leaves the engines' threads
// to parsing. It serves each engine worker (the engine, and its helper for
// the second half of a large file) on a port of its own. Protocol (engine
// → reader):
//   {type: 'read', id, file, start, end, chunk, ahead}  start a load
//   {type: 'ack', id}                                  one slice consumed: read one more
//   {type: 'stop'}                                     forget the load
// Reader → engine: {id, offset, buf} per slice, in order; {id, error}.
self.onmessage = (event) => serve(event.data);

function serve(port) {
  let job = null;
  port.onmessage = (e) => {
    const m = e.data;
    if (m.type === 'read') {
      const end = Math.min(m.end ?? m.file.size, m.file.size);
      job = { id: m.id, file: m.file, chunk: m.chunk, offset: m.start ?? 0, end, credit: m.ahead, running: false };
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
        port.postMessage({ id: j.id, offset: start, buf }, [buf]);
      }
    } catch (err) {
      if (job === j) port.postMessage({ id: j.id, error: String(err) });
    } finally {
      j.running = false;
    }
  }
}
