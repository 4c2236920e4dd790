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

const GOODNESS = { met: 3, review: 2, unanswered: 1, not_met: 0 };

// A tier is off the chosen path when its path criterion (引进方式 …) fails; a programme is, when
// all its tiers are. Such tiers and programmes do not apply to the situation chosen in the form.
function tierOffPath(tier) {
  return (tier.findings || []).some((f) => /^path_/.test(f.criterion || "") && f.verdict === "not_met");
}

function programmeOffPath(programme) {
  const tiers = programme.tiers || [];
  return tiers.length > 0 && tiers.every(tierOffPath);
}

// The tier the programme's findings come from (as the checker picks it): the highest tier
// reached, or else the first tier with the best verdict.
function decidingTier(programme) {
  const tiers = programme.tiers || [];
  if (programme.highest_tier) return tiers.find((t) => t.id === programme.highest_tier) || null;
  return tiers.reduce((best, t) => (!best || GOODNESS[t.verdict] > GOODNESS[best.verdict] ? t : best), null);
}

// The tier worth aiming at (tiers come highest first): the nearest one above the tier reached
// on the chosen path; with no tier reached, the closest one (best verdict, fewest criteria
// missing, then the lower tier).
function targetTier(programme) {
  const tiers = programme.tiers || [];
  const reached = tiers.findIndex((t) => t.id === programme.highest_tier);
  const candidates = (reached >= 0 ? tiers.slice(0, reached) : tiers).filter(
    (t) => !tierOffPath(t) && t.missing && t.missing.length,
  );
  if (!candidates.length) return null;
  if (reached >= 0) return candidates[candidates.length - 1];
  return candidates.reduce((best, t) => {
    const better = GOODNESS[t.verdict] - GOODNESS[best.verdict] || best.missing.length - t.missing.length;
    return better >= 0 ? t : best;
  });
}

// What is still needed for the tier worth aiming at: always on screen, never folded.
function renderMissing(programme, siteRoot) {
  const tier = targetTier(programme);
  if (!tier) return null;
  return el(
    "div",
    { class: "hc-missing", "data-tier": tier.id },
    el("h4", { text: programme.highest_tier ? "距离上一层次还差什么" : "离最近的层次还差什么" }),
    el("p", { text: `要符合「${tier.name}」，还需要：` }),
    listOf(tier.missing, (f) => renderFinding(f, siteRoot), "hc-findings"),
  );
}

// Every criterion of a tier, folded; the deciding tier may start open.
function renderTier(tier, deciding, open, siteRoot) {
  const findings = tier.findings || [];
  const missing = (tier.missing || []).length;
  const review = findings.filter((f) => f.verdict === "review").length;
  const hint = tierOffPath(tier)
    ? "不适用于所选情况"
    : missing
      ? `还差 ${missing} 项`
      : `${findings.length} 项条件${review ? `，${review} 项需评审` : ""}`;
  return el(
    "details",
    { class: "hc-tier-detail", "data-tier": tier.id, "data-deciding": deciding ? "" : null, open: open ? "" : null },
    el(
      "summary",
      {},
      el("span", { class: "hc-tier-name", text: tier.name }),
      " ",
      verdictBadge(tier.verdict, tier.verdict_label),
      " ",
      el("span", { class: "hc-tier-hint", text: hint }),
    ),
    listOf(findings, (f) => renderFinding(f, siteRoot), "hc-findings"),
  );
}

function folded(className, title, content) {
  return el("details", { class: className }, el("summary", { text: title }), content);
}

function renderProgramme(programme, siteRoot) {
  const tiers = programme.tiers || [];
  const deciding = decidingTier(programme);
  const benefits = programme.benefits || [];
  const notes = programme.notes || [];
  const missing = renderMissing(programme, siteRoot);
  // The deciding tier opens when a tier was reached; otherwise what is missing (above) says it.
  const open = Boolean(programme.highest_tier) || !missing;
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
    missing,
    tiers.length
      ? el(
          "div",
          { class: "hc-tier-list" },
          el("h4", { text: "逐条判断（点击层次展开）" }),
          tiers.map((t) => renderTier(t, t === deciding, open && t === deciding, siteRoot)),
        )
      : null,
    benefits.length
      ? folded("hc-benefits", `可享受的待遇（${benefits.length} 项）`, listOf(benefits, (b) => renderBenefit(b, siteRoot), "hc-list"))
      : null,
    notes.length
      ? folded("hc-notes", `说明（${notes.length} 条）`, listOf(notes, (n) => renderNote(n, siteRoot), "hc-list"))
      : null,
  );
}

function yearLabel(row) {
  return `第${row.year}年`;
}

function yearSpan(row) {
  return row.from ? `${row.from}${row.to && row.to !== row.from ? ` 至 ${row.to}` : ""}` : "";
}

// One unit for a whole table, so cells carry bare numbers: 万元 for six-figure amounts when
// every amount is a whole number of hundreds of yuan (nothing rounded), otherwise 元.
function unitFor(amounts) {
  const numbers = amounts.map((a) => Number(a) || 0);
  return numbers.some((a) => a >= 100000) && numbers.every((a) => a % 100 === 0) ? "万元" : "元";
}

const plain = new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 6 });

function inUnit(amount, unit) {
  const value = Number(amount) || 0;
  return plain.format(unit === "万元" ? value / 10000 : value);
}

function chart(rows, unit) {
  const amounts = rows.map((r) => Number(r.total) || 0);
  const max = Math.max(...amounts, 1);
  const barWidth = 56;
  const gap = 20;
  const height = 90;
  const width = rows.length * (barWidth + gap) + gap;
  const figure = svg("svg", {
    class: "hc-chart",
    viewBox: `0 0 ${width} ${height + 44}`,
    role: "img",
    "aria-label": `逐年待遇金额柱状图（单位：${unit}）`,
  });
  figure.append(svg("line", { x1: 0, y1: height + 20, x2: width, y2: height + 20, class: "hc-axis" }));
  rows.forEach((row, n) => {
    const h = Math.round((amounts[n] / max) * height);
    const x = gap + n * (barWidth + gap);
    const y = height + 20 - h;
    figure.append(svg("rect", { x, y, width: barWidth, height: h, class: "hc-bar" }));
    figure.append(svg("text", { x: x + barWidth / 2, y: y - 4, "text-anchor": "middle" }, inUnit(amounts[n], unit)));
    figure.append(svg("text", { x: x + barWidth / 2, y: height + 38, "text-anchor": "middle" }, yearLabel(row)));
  });
  return figure;
}

// Compact on a phone: one unit in the caption, short numbers, the period under the year.
function yearlyTable(rows, names, unit) {
  const ids = [...new Set(rows.flatMap((r) => Object.keys(r.amounts || {})))];
  return el(
    "table",
    { class: "hc-yearly", "data-unit": unit },
    el("caption", { text: `单位：${unit}` }),
    el("thead", {}, el("tr", {}, el("th", { text: "年度" }), ids.map((id) => el("th", { text: names[id] || id })), el("th", { text: "合计" }))),
    el(
      "tbody",
      {},
      rows.map((r) =>
        el(
          "tr",
          { "data-year": r.year },
          el("td", {}, el("span", { text: yearLabel(r) }), yearSpan(r) ? el("span", { class: "hc-year-span", text: yearSpan(r) }) : null),
          ids.map((id) => el("td", { text: inUnit((r.amounts || {})[id] ?? 0, unit) })),
          el("td", { class: "hc-year-total", text: inUnit(r.total, unit) }),
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

// An amount with its unit: 万元 from ten thousand yuan up.
function wan(amount) {
  if (typeof amount !== "number") return money(amount);
  return Math.abs(amount) >= 10000 ? `${plain.format(amount / 10000)} 万元` : money(amount);
}

function renderMoney(moneyData, siteRoot) {
  if (!moneyData) return null;
  const totals = moneyData.totals || {};
  const names = Object.fromEntries((moneyData.items || []).map((i) => [i.benefit, i.name]));
  const rows = moneyData.yearly || [];
  const split = moneyData.split || [];
  const unit = unitFor(rows.flatMap((r) => [r.total, ...Object.values(r.amounts || {})]));
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
          el("tr", { "data-total": key }, el("th", { text: label }), el("td", { text: wan(totals[key]) })),
        ),
      ),
    ),
    moneyData.items && moneyData.items.length
      ? listOf(moneyData.items, (i) => el("li", {}, `${i.name}：${wan(i.total)} `, citations(i, siteRoot)), "hc-list hc-items")
      : null,
    rows.length ? [el("h4", { text: `${rows.length}年发放安排` }), yearlyTable(rows, names, unit), chart(rows, unit)] : null,
    split.length
      ? [
          el("h4", { class: "hc-split-title", text: "资金来源" }),
          listOf(
            split,
            (s) =>
              el(
                "li",
                {},
                el("span", { text: s.label }),
                el("span", {
                  class: "hc-values",
                  text: `用人单位 ${s.employer_percent ?? "—"}%${s.employer != null ? `（${wan(s.employer)}）` : ""}；区人才专项资金 ${s.fund_percent ?? "—"}%${s.fund != null ? `（${wan(s.fund)}）` : ""}`,
                }),
                s.citation ? el("span", { class: "hc-cites" }, "依据：", citationLink(s.citation, siteRoot)) : null,
              ),
            "hc-list hc-split",
          ),
        ]
      : null,
  );
}

// Programmes off the chosen path fold away together; the others stay open (their tiers are
// folded). Without path information, those that do not apply (不符合) fold, unless nothing
// applies.
function renderProgrammes(programmes, siteRoot) {
  let others = programmes.filter(programmeOffPath);
  if (others.length === programmes.length) others = [];
  let reason = "不适用于所选情况";
  if (!others.length && programmes.some((p) => p.verdict !== "not_met")) {
    others = programmes.filter((p) => p.verdict === "not_met");
    reason = "不符合";
  }
  const shown = programmes.filter((p) => !others.includes(p));
  return [
    shown.map((p) => renderProgramme(p, siteRoot)),
    others.length
      ? el(
          "details",
          { class: "hc-other" },
          el("summary", { text: `其他项目（${others.map((p) => p.name).join("、")}）：${reason}` }),
          others.map((p) => renderProgramme(p, siteRoot)),
        )
      : null,
  ];
}

// The answer at a glance: each programme's verdict and highest tier, the money, the next step
// and the disclaimer.
function renderSummary(result, { siteRoot, procedures }) {
  const programmes = result.programmes || [];
  const moneyData = result.money;
  const totals = (moneyData && moneyData.totals) || {};
  const disclaimer = result.disclaimer || {};
  const line = (p) => {
    const offPath = programmeOffPath(p);
    return el(
      "li",
      { class: "hc-summary-programme", "data-programme": p.id, "data-verdict": p.verdict, "data-off-path": offPath ? "" : null },
      el("span", { class: "hc-summary-name", text: p.name }),
      " ",
      verdictBadge(p.verdict, p.verdict_label),
      " ",
      el("span", {
        class: "hc-summary-tier",
        "data-tier": p.highest_tier || "",
        text: p.highest_tier_name || (offPath ? "不适用于所选情况" : "未达到任何层次"),
      }),
    );
  };
  let moneyPart;
  if (moneyData && typeof totals.total === "number") {
    const yearly = (moneyData.yearly || []).length;
    const parts = TOTAL_LABELS.slice(1, 4)
      .filter(([key]) => totals[key])
      .map(([key, label]) => `${label.replace(/^其中/, "")} ${wan(totals[key])}`);
    moneyPart = el(
      "div",
      { class: "hc-summary-money" },
      el(
        "p",
        { class: "hc-summary-total" },
        el("span", { text: yearly ? `${yearly}年待遇合计 ` : "待遇合计 " }),
        el("strong", { class: "hc-summary-amount", "data-total": "total", text: wan(totals.total) }),
      ),
      parts.length ? el("p", { class: "hc-summary-parts", text: `其中：${parts.join("；")}` }) : null,
    );
  } else {
    moneyPart = el("p", { class: "hc-summary-money", text: "暂无可测算的待遇金额。" });
  }
  // The next step: the procedure of the tier the money is based on (or of the first tier
  // reached), with a link to the guide's procedures page.
  const info = (procedures || {})[result.measure] || {};
  const basis = (moneyData && moneyData.basis && moneyData.basis[0]) ||
    (() => {
      const p = programmes.find((q) => q.highest_tier && q.verdict !== "not_met");
      return p ? { programme: p.id, tier: p.highest_tier } : null;
    })();
  const step = basis && (info.tiers || {})[`${basis.programme}:${basis.tier}`];
  const page = info.page ? new URL(info.page, siteRoot) : null;
  const next = el("p", { class: "hc-next" }, el("strong", { text: "下一步：" }));
  if (step) {
    next.append(`了解「${step.title}」的办理程序`);
    if (page) next.append("：", el("a", { class: "hc-next-link", href: `${page.href}#${step.anchor}`, text: "查看办理程序" }));
  } else if (basis) {
    next.append("向用人单位了解申报安排");
    if (page) next.append("；", el("a", { class: "hc-next-link", href: page.href, text: "查看办理程序" }));
  } else {
    next.append("对照下面“还需要”的条件");
    if (page) next.append("；", el("a", { class: "hc-next-link", href: page.href, text: "各项目的办理程序" }));
  }
  return el(
    "section",
    { class: "hc-summary", "aria-label": "结论一览" },
    el("ul", { class: "hc-summary-list" }, programmes.map(line)),
    moneyPart,
    next,
    el("p", { class: "hc-disclaimer" }, el("span", { text: disclaimer.text || disclaimer }), " ", citations(disclaimer, siteRoot)),
  );
}

export function renderResult(area, result, { siteRoot, shareURL, policyVersion, procedures }) {
  const programmes = result.programmes || [];
  const share = el("a", { class: "hc-share", href: shareURL, text: "分享 / 保存此结果的链接" });
  const print = el("button", { type: "button", class: "md-button hc-print", text: "打印结果" });
  print.addEventListener("click", () => window.print());
  const notes = result.notes || [];
  const parts = [
    el("h2", { text: "自测结果" }),
    el(
      "p",
      { class: "hc-meta" },
      el("span", { text: `${result.measure_name || ""}　评估日期：${result.as_of || ""}` }),
      policyVersion ? el("span", { text: `　政策版本：${policyVersion}` }) : null,
    ),
    renderSummary(result, { siteRoot, procedures }),
    el("h3", { class: "hc-detail-title", text: "详细判断" }),
    renderProgrammes(programmes, siteRoot),
    renderMoney(result.money, siteRoot),
    notes.length
      ? folded("hc-notes hc-result-notes", `服务承诺、考核与退还（${notes.length} 条）`, listOf(notes, (n) => renderNote(n, siteRoot), "hc-list"))
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
