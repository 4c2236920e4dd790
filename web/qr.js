// QR codes drawn in the browser, so a printed page points to where it was opened from.
// Encoder: the npm package qrcode-generator (pinned in package.json), copied by the build to
// assets/hc/vendor/ and loaded only when a code is drawn. Loaded on every page (mkdocs.yml
// extra_javascript); does nothing where no [data-hc-qr] element is present.
//
// API (module assets/hc/qr.js):
//   await qrSvg(text, {label}) -> <svg class="hc-qr" role="img"> with a white quiet zone,
//     sized by CSS; label is its accessible name (default "二维码：" + text).
//   siteURL(path) -> absolute URL of a site-root-relative path, on the origin the page was served
//     from (e.g. siteURL("selfcheck/?path=graduate")).
//   drawAll(root = document) -> fills every [data-hc-qr="site-relative path"] element with the
//     code of siteURL(path), and its [data-hc-qr-text] descendants with that URL as text.

import { SITE_ROOT } from "./page.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const QUIET_ZONE = 4; // modules of white around the code, as the QR standard asks

let encoder = null;

export function siteURL(path) {
  return new URL(path, SITE_ROOT).href;
}

export async function qrSvg(text, { label } = {}) {
  encoder = encoder || import("./vendor/qrcode-generator.mjs").then((m) => m.default);
  const qrcode = await encoder;
  const code = qrcode(0, "M"); // smallest version that fits; medium error correction
  code.addData(text, "Byte");
  code.make();
  const count = code.getModuleCount();
  const size = count + 2 * QUIET_ZONE;
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("class", "hc-qr");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label || `二维码：${text}`);
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.dataset.url = text;
  const background = document.createElementNS(SVG_NS, "rect");
  background.setAttribute("width", size);
  background.setAttribute("height", size);
  background.setAttribute("fill", "#fff");
  let d = "";
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (code.isDark(row, col)) d += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
    }
  }
  const modules = document.createElementNS(SVG_NS, "path");
  modules.setAttribute("d", d);
  modules.setAttribute("fill", "#000");
  svg.append(background, modules);
  return svg;
}

export async function drawAll(root = document) {
  for (const box of root.querySelectorAll("[data-hc-qr]")) {
    const url = siteURL(box.dataset.hcQr);
    if (box.dataset.hcQrDrawn === url) continue;
    const svg = await qrSvg(url, { label: box.dataset.hcQrLabel });
    const slot = box.querySelector("[data-hc-qr-slot]") || box;
    slot.replaceChildren(svg);
    box.querySelectorAll("[data-hc-qr-text]").forEach((el) => { el.textContent = url; });
    box.dataset.hcQrDrawn = url;
  }
}

// Material's instant navigation swaps pages without reloading scripts: redraw on each page.
if (typeof document$ !== "undefined" && document$.subscribe) {
  document$.subscribe(() => drawAll());
} else {
  drawAll();
}
