// sw.js (generated from web/src/sw-template.js by web/vite.config.ts): offline support.
// Precaches every file of this build but the on-demand ones (the TypeScript service, fetched when
// the learner first edits), which are cached when the page first fetches them; serves hashed
// assets cache-first and the page network-first (so a new build is picked up when online, and the
// last one still opens offline).
const CACHE = "__PREFAULT_CACHE__";
const FILES = __PREFAULT_FILES__;

self.addEventListener("install", event => {
  event.waitUntil(caches.open(CACHE).then(c => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", event => {
  event.waitUntil(caches.keys()
    .then(keys => Promise.all(keys.filter(k => k.startsWith("prefault-") && k !== CACHE).map(k => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// a hashed asset that was not precached: fetched, and kept for the next (or an offline) visit
async function fetchAndKeep(event, req) {
  const res = await fetch(req);
  if (res.ok && res.type === "basic" && /\/assets\/[^/]+$/.test(new URL(req.url).pathname)) {
    const copy = res.clone();
    event.waitUntil(caches.open(CACHE).then(c => c.put(req, copy)).catch(() => undefined));
  }
  return res;
}

self.addEventListener("fetch", event => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== location.origin) return;
  if (req.mode === "navigate") {
    event.respondWith(fetch(req).catch(() => caches.match("./", { ignoreSearch: true }).then(r => r || caches.match("./index.html"))));
    return;
  }
  event.respondWith(caches.match(req, { ignoreSearch: true }).then(hit => hit || fetchAndKeep(event, req)));
});
