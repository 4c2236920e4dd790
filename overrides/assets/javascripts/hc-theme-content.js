// Material for MkDocs' inline content script (partials/javascripts/content.html, 9.8.1), moved
// to a file for the Content-Security-Policy: opens the content tab a link's #hash points to.
(function () {
  var target = document.getElementById(location.hash.slice(1))
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_")
})()
