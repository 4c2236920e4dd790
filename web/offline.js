// "离线使用": stores the whole site, the 自测 with its Python runtime included, for use with no
// network (e.g. at a campus fair), through the service worker sw.js, which precaches every file
// of this build when it installs. Imported by selfcheck.js (loaded on every page); acts on the
// [data-hc-offline] boxes the poster page and the 自测 page carry (site_builder/assets.py
// offline_box), which stay hidden where service workers are unavailable. Nothing is downloaded
// before the button is pressed but assets/hc/offline.json, which gives the size to show first.

import { SITE_ROOT, megabytes, onEveryPage } from "./page.js";

let storing = null; // one registration for the whole visit, whoever asked for it
const onStored = new Set(); // boxes to update when it is done

// Registers the service worker and resolves once it is active, i.e. once its install stored
// every file; rejects when that failed (a file missing from the precache, storage full).
export function storeOffline() {
  if (!("serviceWorker" in navigator)) return Promise.reject(new Error("no service worker"));
  storing ||= navigator.serviceWorker
    .register(new URL("sw.js", SITE_ROOT), { scope: SITE_ROOT.pathname })
    .then((registration) => {
      // A failed install would leave `ready` pending forever.
      const installing = registration.installing;
      return new Promise((resolve, reject) => {
        installing?.addEventListener("statechange", () => {
          if (installing.state === "redundant" && !registration.active) reject(new Error("install failed"));
        });
        navigator.serviceWorker.ready.then(resolve);
      });
    });
  storing.then(() => onStored.forEach((fn) => fn()), () => (storing = null)); // pressing again tries again
  return storing;
}

async function alreadyStored() {
  const registration = await navigator.serviceWorker.getRegistration(SITE_ROOT.href);
  return Boolean(registration && registration.active);
}

function attach(box) {
  if (box.dataset.state || !("serviceWorker" in navigator) || typeof caches !== "object") return;
  const button = box.querySelector("button");
  const status = box.querySelector(".hc-offline-status");
  const show = (state, text) => {
    box.dataset.state = state;
    status.textContent = text;
    button.disabled = state === "storing" || state === "stored";
    if (state === "stored") button.textContent = "已可离线使用";
  };
  const stored = () => box.isConnected && show("stored", "已保存在本机：没有网络时也能打开本站和自测。");
  onStored.add(stored);
  show("idle", status.textContent);
  box.hidden = false;
  fetch(new URL("assets/hc/offline.json", SITE_ROOT))
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.status))))
    .then(({ bytes }) => {
      box.dataset.bytes = bytes;
      if (box.dataset.state === "idle") button.textContent = `离线使用（约 ${megabytes(bytes)} MB）`;
    })
    .catch(() => {}); // the button still works; only the size is not shown
  alreadyStored().then((done) => done && stored());
  button.addEventListener("click", () => {
    const size = box.dataset.bytes ? `约 ${megabytes(Number(box.dataset.bytes))} MB，` : "";
    show("storing", `正在保存（${size}请保持网络连接）……`);
    storeOffline().catch(() => show("failed", "保存没有成功，可能是网络中断或手机存储空间不足。请稍后再试。"));
  });
}

function onPage() {
  document.querySelectorAll("[data-hc-offline]").forEach(attach);
}

onEveryPage(onPage);
