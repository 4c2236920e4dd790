// The 自测 page's HTML preloads the runtime files (site_builder/assets.py preload_links) so they
// download while the page renders. Chromium hands a download in flight to a later request for
// the same URL (its HTTP cache lock); WebKit was seen to download the file a second time when
// the worker asked for it before the preload had finished. Elsewhere than in Chromium, the
// worker therefore waits for the preloads still in flight (the "preloaded" messages below) and
// then gets each file from the HTTP cache; its byte progress then moves file by file.

// URLs of the runtime preloads still downloading, posting {type: "preloaded", url} to the
// worker as each finishes. Empty in Chromium (navigator.userAgentData is Chromium's).
export function pendingPreloads(worker) {
  if ("userAgentData" in navigator) return [];
  const pending = [];
  for (const link of document.querySelectorAll("link[rel=preload][data-hc-runtime]")) {
    const url = link.href;
    if (performance.getEntriesByName(url).length) continue; // finished: in the HTTP cache
    pending.push(url);
    const done = () => worker.postMessage({ type: "preloaded", url });
    link.addEventListener("load", done, { once: true });
    link.addEventListener("error", done, { once: true });
  }
  return pending;
}
