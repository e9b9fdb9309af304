#!/usr/bin/env python3
"""A tiny static file server for the built app (dist/).

    python3 scripts/static_server.py --dir dist --port 8080

Binds 127.0.0.1 only. Serves .wasm as application/wasm and .js as
text/javascript, and sends `Cache-Control: no-store` so a rebuilt app is
always picked up. The first line on stdout is the URL, `http://127.0.0.1:PORT/`
(with --port 0 the OS picks a free port: tests read it from that line).
Request logs go to stderr (--quiet turns them off).
"""

import argparse
import functools
import http.server
import os
import signal
import sys

HOST = "127.0.0.1"

TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}
    quiet = False

    plain = False

    def end_headers(self):
        if not self.plain:
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 (http.server's name)
        if not self.quiet:
            super().log_message(format, *args)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        # A browser closing a connection early is not worth a traceback.
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def _stop(_signum, _frame):
    raise KeyboardInterrupt


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="dist", help="directory to serve (default: dist)")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", "8080")),
        help="port on 127.0.0.1; 0 picks a free one (default: $PORT or 8080)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="behave like a server that knows no .wasm type (application/octet-stream) "
        "and sends no extra headers",
    )
    args = parser.parse_args(argv)
    if args.plain:
        Handler.extensions_map = {**Handler.extensions_map, ".wasm": "application/octet-stream"}
        Handler.plain = True

    root = os.path.abspath(args.dir)
    if not os.path.isfile(os.path.join(root, "index.html")):
        print(f"static_server: {root}/index.html not found (build the app first)", file=sys.stderr)
        return 2

    Handler.quiet = args.quiet
    handler = functools.partial(Handler, directory=root)
    try:
        server = Server((HOST, args.port), handler)
    except OSError as e:
        print(f"static_server: cannot listen on {HOST}:{args.port}: {e}", file=sys.stderr)
        return 1
    # SIGTERM (how tests and scripts stop it) ends it like Ctrl-C does.
    signal.signal(signal.SIGTERM, _stop)
    port = server.server_address[1]
    print(f"http://{HOST}:{port}/", flush=True)
    print(f"static_server: serving {root} on http://{HOST}:{port}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
