// What the site's page scripts share: the site root, the 自测's element, running on every page
// Material shows, and sizes in words.

// This file lives at <site root>/assets/hc/page.js: the site root follows from it, whatever
// page (and <base>) we are on.
export const SITE_ROOT = new URL("../../", import.meta.url);
export const ROOT_ID = "hc-selfcheck"; // the 自测's root element

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
