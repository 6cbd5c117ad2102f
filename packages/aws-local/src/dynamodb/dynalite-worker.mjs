// dynalite on its own thread (see dynalite-thread.ts). Plain JavaScript: a worker thread does not inherit the
// TypeScript loader of vitest, only the one tsx passes on the command line.
import { EventEmitter } from "node:events";
import { parentPort, workerData } from "node:worker_threads";
import dynalite from "dynalite";

const server = dynalite(workerData.options);
// dynalite's request handler, called directly for requests that come over the message port: no HTTP on either side.
const handleRequest = server.listeners("request")[0];
const encoder = new TextEncoder();

/**
 * What dynalite's handler uses of an http.ServerResponse (status, setHeader, end), collecting the answer.
 * @param {number} id
 */
function answerCollector(id) {
  /** @type {Record<string, string>} */
  const headers = {};
  return {
    statusCode: 200,
    contentType: undefined,
    /** @param {string} name @param {unknown} value */
    setHeader(name, value) {
      headers[name.toLowerCase()] = String(value);
    },
    /** @param {string | Buffer | undefined} body */
    end(body) {
      // An exact-size copy, handed over rather than cloned (a small Buffer is a slice of a shared 8 KiB pool).
      const bytes = typeof body === "string" || body === undefined ? encoder.encode(body ?? "") : new Uint8Array(body);
      delete headers["content-length"];
      delete headers["transfer-encoding"];
      parentPort.postMessage({ type: "answer", id, status: this.statusCode, headers, body: bytes }, [bytes.buffer]);
    },
  };
}

/** @param {{ id: number, method: string, url: string, headers: Record<string, string | string[]>, body: Uint8Array }} request */
function serve(request) {
  const incoming = Object.assign(new EventEmitter(), {
    method: request.method,
    url: request.url,
    headers: request.headers,
  });
  try {
    handleRequest(incoming, answerCollector(request.id));
    if (request.body.length > 0) incoming.emit("data", Buffer.from(request.body));
    incoming.emit("end");
  } catch (error) {
    parentPort.postMessage({
      type: "failed",
      id: request.id,
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

parentPort.on("message", (message) => {
  if (message.type === "request") serve(message);
  else if (message.type === "close") {
    server.closeAllConnections?.();
    server.close((error) => {
      parentPort.postMessage({ type: "closed", ...(error ? { message: error.message } : {}) });
      parentPort.close();
    });
  }
});

server.once("error", (error) => parentPort.postMessage({ type: "start-failed", message: error.message }));
server.listen(0, "127.0.0.1", () => parentPort.postMessage({ type: "listening", port: server.address().port }));
