// Material for MkDocs' inline head script (partials/javascripts/base.html, 9.8.1), moved to a
// file so the Content-Security-Policy can forbid inline scripts. The storage scope is the site
// root, which this file knows from its own address: <root>/assets/javascripts/hc-theme-base.js.
__md_scope = new URL("../../", document.currentScript.src)
__md_hash = e => [...e].reduce((e, _) => (e << 5) - e + _.charCodeAt(0), 0)
__md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e))
__md_set = (e, _, t = localStorage, a = __md_scope) => {
  try { t.setItem(a.pathname + "." + e, JSON.stringify(_)) } catch (e) {}
}
