// Paints the checker's result JSON. Every piece of result data goes in as text (createElement +
// textContent); nothing from a result is ever parsed as HTML.

const SVG_NS = "http://www.w3.org/2000/svg";

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "class") node.className = value;
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

const yuan = new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 2 });

function money(amount) {
  return typeof amount === "number" ? `${yuan.format(amount)} 元` : String(amount ?? "—");
}

function verdictBadge(verdict, label) {
  return el("span", { class: "hc-verdict", "data-verdict": verdict, text: label || verdict });
}

function citationLink(citation, siteRoot) {
  if (!citation || !citation.url) return null;
  return el("a", { class: "hc-cite", href: new URL(citation.url, siteRoot).href, text: citation.label });
}

function citations(item, siteRoot) {
  const list = item.citations || (item.citation ? [item.citation] : []);
  const links = list.map((c) => citationLink(c, siteRoot)).filter(Boolean);
  if (!links.length) return null;
  const span = el("span", { class: "hc-cites" }, "依据：");
  links.forEach((link, n) => span.append(...(n ? ["、", link] : [link])));
  return span;
}

function renderFinding(finding, siteRoot) {
  return el(
    "li",
    { class: "hc-finding", "data-verdict": finding.verdict, "data-criterion": finding.criterion },
    verdictBadge(finding.verdict, finding.verdict_label),
    " ",
    el("span", { class: "hc-finding-label", text: finding.label }),
    finding.values ? el("span", { class: "hc-values", text: finding.values }) : null,
    finding.reason ? el("span", { class: "hc-reason", text: finding.reason }) : null,
    citations(finding, siteRoot),
  );
}

function listOf(items, render, className) {
  if (!items || !items.length) return null;
  return el("ul", { class: className }, items.map(render));
}

function renderNote(note, siteRoot) {
  return el("li", { class: "hc-note" }, el("span", { text: note.text }), " ", citations(note, siteRoot));
}

function renderBenefit(benefit, siteRoot) {
  const amount =
    benefit.total != null ? `合计 ${money(benefit.total)}` : benefit.amount != null ? money(benefit.amount) : "";
  return el(
    "li",
    { class: "hc-benefit", "data-benefit": benefit.id },
    el("strong", { text: benefit.name }),
    amount ? el("span", { class: "hc-amount", text: `：${amount}` }) : null,
    benefit.description ? el("span", { class: "hc-reason", text: benefit.description }) : null,
    citations(benefit, siteRoot),
  );
}

// What is still needed for the tier just above the highest one reached (tiers come highest
// first); with no tier reached, for each tier, folded.
function renderMissing(programme, siteRoot) {
  const tiers = programme.tiers || [];
  const reached = tiers.findIndex((t) => t.id === programme.highest_tier);
  const targets = reached > 0 ? [tiers[reached - 1]] : reached === -1 ? tiers : [];
  const open = targets.filter((t) => t.missing && t.missing.length);
  if (!open.length) return null;
  const block = (tier) => [
    el("p", { text: `要符合「${tier.name}」，还需要：` }),
    listOf(tier.missing, (f) => renderFinding(f, siteRoot), "hc-findings"),
  ];
  return el(
    "div",
    { class: "hc-missing" },
    el("h4", { text: reached > 0 ? "距离上一层次还差什么" : "各层次还差什么" }),
    open.length === 1
      ? el("div", { class: "hc-missing-tier", "data-tier": open[0].id }, block(open[0]))
      : open.map((tier) =>
          el("details", { class: "hc-missing-tier", "data-tier": tier.id }, el("summary", { text: tier.name }), block(tier)),
        ),
  );
}

function renderProgramme(programme, siteRoot) {
  const tiers = programme.tiers || [];
  return el(
    "article",
    { class: "hc-programme", "data-programme": programme.id, "data-verdict": programme.verdict },
    el("h3", {}, el("span", { text: programme.name }), " ", verdictBadge(programme.verdict, programme.verdict_label)),
    el(
      "p",
      { class: "hc-highest" },
      "最高层次：",
      el("strong", { class: "hc-tier", "data-tier": programme.highest_tier || "", text: programme.highest_tier_name || "未达到任何层次" }),
    ),
    tiers.length
      ? el(
          "table",
          { class: "hc-tiers" },
          el("thead", {}, el("tr", {}, el("th", { text: "层次" }), el("th", { text: "结论" }))),
          el(
            "tbody",
            {},
            tiers.map((t) =>
              el("tr", { "data-tier": t.id }, el("td", { text: t.name }), el("td", {}, verdictBadge(t.verdict, t.verdict_label))),
            ),
          ),
        )
      : null,
    programme.findings && programme.findings.length
      ? [el("h4", { text: "逐条判断" }), listOf(programme.findings, (f) => renderFinding(f, siteRoot), "hc-findings")]
      : null,
    renderMissing(programme, siteRoot),
    programme.benefits && programme.benefits.length
      ? el("div", { class: "hc-benefits" }, el("h4", { text: "可享受的待遇" }), listOf(programme.benefits, (b) => renderBenefit(b, siteRoot), "hc-list"))
      : null,
    programme.notes && programme.notes.length
      ? el("div", { class: "hc-notes" }, el("h4", { text: "说明" }), listOf(programme.notes, (n) => renderNote(n, siteRoot), "hc-list"))
      : null,
  );
}

function yearLabel(row) {
  const span = row.from ? `（${row.from}${row.to && row.to !== row.from ? ` 至 ${row.to}` : ""}）` : "";
  return `第${row.year}年${span}`;
}

function chart(rows) {
  const amounts = rows.map((r) => Number(r.total) || 0);
  const max = Math.max(...amounts, 1);
  const barWidth = 56;
  const gap = 20;
  const height = 140;
  const width = rows.length * (barWidth + gap) + gap;
  const figure = svg("svg", { class: "hc-chart", viewBox: `0 0 ${width} ${height + 44}`, role: "img", "aria-label": "逐年待遇金额柱状图" });
  figure.append(svg("line", { x1: 0, y1: height + 20, x2: width, y2: height + 20, class: "hc-axis" }));
  rows.forEach((row, n) => {
    const h = Math.round((amounts[n] / max) * height);
    const x = gap + n * (barWidth + gap);
    const y = height + 20 - h;
    figure.append(svg("rect", { x, y, width: barWidth, height: h, class: "hc-bar" }));
    figure.append(svg("text", { x: x + barWidth / 2, y: y - 4, "text-anchor": "middle" }, yuan.format(amounts[n])));
    figure.append(svg("text", { x: x + barWidth / 2, y: height + 38, "text-anchor": "middle" }, `第${row.year}年`));
  });
  return figure;
}

function yearlyTable(rows, names) {
  const ids = [...new Set(rows.flatMap((r) => Object.keys(r.amounts || {})))];
  return el(
    "table",
    { class: "hc-yearly" },
    el("thead", {}, el("tr", {}, el("th", { text: "年度" }), ids.map((id) => el("th", { text: names[id] || id })), el("th", { text: "合计" }))),
    el(
      "tbody",
      {},
      rows.map((r) =>
        el(
          "tr",
          { "data-year": r.year },
          el("td", { text: yearLabel(r) }),
          ids.map((id) => el("td", { text: money((r.amounts || {})[id] ?? 0) })),
          el("td", { class: "hc-year-total", text: money(r.total) }),
        ),
      ),
    ),
  );
}

const TOTAL_LABELS = [
  ["total", "待遇合计"],
  ["scheduled", "其中按期发放"],
  ["on_application", "其中需申请、按实际拨付"],
  ["by_time_estimate", "其中按在合工作时长估算"],
  ["employer", "用人单位承担"],
  ["fund", "区人才专项资金承担"],
];

function renderMoney(moneyData, siteRoot) {
  if (!moneyData) return null;
  const totals = moneyData.totals || {};
  const names = Object.fromEntries((moneyData.items || []).map((i) => [i.benefit, i.name]));
  const rows = moneyData.yearly || [];
  const split = moneyData.split || [];
  return el(
    "section",
    { class: "hc-money" },
    el("h3", { text: "待遇金额测算" }),
    el(
      "table",
      { class: "hc-totals" },
      el(
        "tbody",
        {},
        // The total always; its parts only when they hold something.
        TOTAL_LABELS.filter(([key]) => key === "total" || totals[key]).map(([key, label]) =>
          el("tr", { "data-total": key }, el("th", { text: label }), el("td", { text: money(totals[key]) })),
        ),
      ),
    ),
    moneyData.items && moneyData.items.length
      ? listOf(moneyData.items, (i) => el("li", {}, `${i.name}：${money(i.total)} `, citations(i, siteRoot)), "hc-list hc-items")
      : null,
    rows.length ? [el("h4", { text: "五年发放安排" }), yearlyTable(rows, names), chart(rows)] : null,
    split.length
      ? [
          el("h4", { text: "资金来源" }),
          el(
            "table",
            { class: "hc-split" },
            el("thead", {}, el("tr", {}, ["项目", "用人单位", "区人才专项资金", "依据"].map((t) => el("th", { text: t })))),
            el(
              "tbody",
              {},
              split.map((s) =>
                el(
                  "tr",
                  {},
                  el("td", { text: s.label }),
                  el("td", { text: `${s.employer_percent ?? "—"}%${s.employer != null ? `（${money(s.employer)}）` : ""}` }),
                  el("td", { text: `${s.fund_percent ?? "—"}%${s.fund != null ? `（${money(s.fund)}）` : ""}` }),
                  el("td", {}, citationLink(s.citation, siteRoot)),
                ),
              ),
            ),
          ),
        ]
      : null,
  );
}

// Programmes that apply come first and open; those that do not (不符合) fold away, unless
// nothing applies, when all are shown.
function renderProgrammes(programmes, siteRoot) {
  const applies = programmes.filter((p) => p.verdict !== "not_met");
  if (!applies.length) return programmes.map((p) => renderProgramme(p, siteRoot));
  const others = programmes.filter((p) => p.verdict === "not_met");
  return [
    applies.map((p) => renderProgramme(p, siteRoot)),
    others.length
      ? el(
          "details",
          { class: "hc-other" },
          el("summary", { text: `其他项目（${others.map((p) => p.name).join("、")}）：不符合` }),
          others.map((p) => renderProgramme(p, siteRoot)),
        )
      : null,
  ];
}

export function renderResult(area, result, { siteRoot, shareURL, policyVersion }) {
  const programmes = result.programmes || [];
  const disclaimer = result.disclaimer || {};
  const share = el("a", { class: "hc-share", href: shareURL, text: "分享 / 保存此结果的链接" });
  const print = el("button", { type: "button", class: "md-button hc-print", text: "打印结果" });
  print.addEventListener("click", () => window.print());
  const parts = [
    el("h2", { text: "自测结果" }),
    el(
      "p",
      { class: "hc-meta" },
      el("span", { text: `${result.measure_name || ""}　评估日期：${result.as_of || ""}` }),
      policyVersion ? el("span", { text: `　政策版本：${policyVersion}` }) : null,
    ),
    el("p", { class: "hc-disclaimer" }, el("span", { text: disclaimer.text || disclaimer }), " ", citations(disclaimer, siteRoot)),
    renderProgrammes(programmes, siteRoot),
    renderMoney(result.money, siteRoot),
    result.notes && result.notes.length
      ? el("div", { class: "hc-notes" }, el("h3", { text: "服务承诺、考核与退还" }), listOf(result.notes, (n) => renderNote(n, siteRoot), "hc-list"))
      : null,
    el("p", { class: "hc-actions hc-noprint" }, share, " ", print),
    el("p", { class: "hc-privacy hc-noprint", text: "链接“#”之后的部分就是你的回答：它只在链接里，打开链接时也不会发送到服务器。" }),
  ];
  area.replaceChildren(...parts.flat(Infinity).filter(Boolean));
}

export function renderErrors(area, errors, form) {
  form.querySelectorAll(".hc-q[data-invalid]").forEach((q) => q.removeAttribute("data-invalid"));
  const items = (errors || []).map((error) => {
    const q = form.querySelector(`.hc-q[data-qid="${CSS.escape(error.field || "")}"]`);
    if (q) q.dataset.invalid = "1";
    const label = q ? (q.querySelector("legend, label") || {}).textContent : error.field;
    return el("li", { text: label ? `${label}：${error.message}` : error.message });
  });
  area.replaceChildren(
    el("h2", { text: "请检查填写的内容" }),
    el("ul", { class: "hc-errors" }, items),
  );
}
