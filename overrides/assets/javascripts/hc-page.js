// Site-wide page behaviour (mkdocs.yml extra_javascript), for every page:
// - tables that do not fit the screen become cards (one card per row, each cell with its column
//   heading), so a phone never scrolls a table sideways; print keeps the table (CSS: screen
//   only). Without scripts the table scrolls inside its box as before.
// - a link into a folded block (a tier of the guide's tiers pages) opens the fold.

function labelCells(table) {
  const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  table.querySelectorAll("tbody tr").forEach((row) => {
    [...row.children].forEach((cell, i) => {
      if (heads[i]) cell.dataset.label = heads[i];
    });
  });
}

function fit(table) {
  if (!table.getClientRects().length) return; // folded away: fitted when its block opens
  delete table.dataset.hcCards;
  const box = table.closest(".md-typeset__scrollwrap, .hc-table") || table.parentElement;
  if (table.scrollWidth > box.clientWidth + 1 || table.getBoundingClientRect().right > box.getBoundingClientRect().right + 1) {
    table.dataset.hcCards = "";
  }
}

function fitAll() {
  document.querySelectorAll(".md-content .md-typeset table").forEach((table) => {
    if (!table.dataset.hcLabelled) {
      labelCells(table);
      table.dataset.hcLabelled = "";
    }
    fit(table);
    focusableIfScrolling(table.closest(".md-typeset__scrollwrap"));
  });
}

// A box that still scrolls sideways must be reachable by keyboard (WCAG 2.1.1; axe
// scrollable-region-focusable) and say what it holds.
function focusableIfScrolling(box) {
  if (!box) return;
  if (box.scrollWidth > box.clientWidth + 1) {
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "表格（可左右滑动查看）");
  } else if (box.getAttribute("role") === "region") {
    box.removeAttribute("tabindex");
    box.removeAttribute("role");
    box.removeAttribute("aria-label");
  }
}

function openTarget() {
  // A fragment is not always an id: the 自测's share links carry answers there.
  let id = location.hash.slice(1);
  try {
    id = decodeURIComponent(id);
  } catch {
    return;
  }
  const target = id && document.getElementById(id);
  if (!target) return;
  let opened = false;
  for (let fold = target.closest("details"); fold; fold = fold.parentElement.closest("details")) {
    if (!fold.open) {
      fold.open = true;
      opened = true;
    }
  }
  if (opened) target.scrollIntoView();
}

let pending = 0;
const refit = () => {
  cancelAnimationFrame(pending);
  pending = requestAnimationFrame(fitAll);
};
window.addEventListener("resize", refit);
document.addEventListener("toggle", refit, true); // a <details> opened: its tables can be measured
window.addEventListener("hashchange", openTarget);
const onPage = () => {
  openTarget();
  fitAll();
};
if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(onPage);
else onPage();
