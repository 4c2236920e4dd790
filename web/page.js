// What the site's page scripts share: running on every page Material shows, and sizes in words.

// Material's instant navigation swaps pages without reloading scripts: follow its document$ stream.
export function onEveryPage(fn) {
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(fn);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fn);
  } else {
    fn();
  }
}

// A size in decimal megabytes, one way everywhere (the offline size and the download progress).
export function megabytes(bytes) {
  return (bytes / 1e6).toFixed(1);
}
