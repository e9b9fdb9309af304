// The offline copy: a service worker that keeps the app's own files in a
// cache named after this release, so the app opens and analyses with the
// network off after the first visit.
//
// What it fetches: the files of FILES below, from the same address as the
// page, on the first visit and when a new release is published (the
// browser then sees that this file changed). Nothing else: it never sends
// data, and a file you analyse is never a request (it is read from disk by
// the page). Requests for anything else pass through untouched.
//
// VERSION is written by the build (Trunk.toml's post_build hook): a hash of
// the release's files, so a new release is a new cache and the old one is
// deleted when the new worker takes over.
const VERSION = 'dev';
const CACHE = `ltv-lens-${VERSION}`;
const FILES = [
  './',
  './index.html',
  './boot.js',
  './worker.js',
  './reader.js',
  './style.css',
  './ltv-lens-app.js',
  './ltv-lens-app_bg.wasm',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(FILES.map((f) => new Request(f, { cache: 'no-cache' })));
      // Take over at once: the page asks for nothing after it loaded, so a
      // page of the old release keeps working, and says an update is ready.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('ltv-lens-') && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      // The page's address carries the settings (?lang=ja&…): any address
      // of the page is the page.
      const page = request.mode === 'navigate' ? './' : null;
      const hit = await cache.match(page ? new URL(page, scope).href : request, { ignoreSearch: true });
      return hit || fetch(request);
    })(),
  );
});
