// Every htmx request that changes something carries the antiforgery token from the page's meta tags;
// the server validates it on every POST, whether it comes from a form or from htmx.
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.verb === "get") return;
  const header = document.querySelector('meta[name="csrf-header"]')?.content;
  const token = document.querySelector('meta[name="csrf-token"]')?.content;
  if (header && token) event.detail.headers[header] = token;
});

// The one place a position is written for people (mirrors TimeText.Format on the server): the timeline and the
// practice page both write times with it, with the page language's decimal separator (0:03,4 in Romanian).
const decimalSeparator = new Intl.NumberFormat(document.documentElement.lang || "en").format(1.5).charAt(1);
const pluralRules = new Intl.PluralRules(document.documentElement.lang || "en");
window.callReview = {
  // A count with its noun in the page's language: the server's forms (Plurals.Forms), chosen by the browser's CLDR rules.
  plural(forms, n) {
    return (forms[pluralRules.select(n)] ?? forms.other).replace("{0}", String(n));
  },
  formatTime(seconds) {
    const s = Math.max(0, seconds);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.floor(s % 60);
    if (h > 0) return `${h}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
    return `${m}:${String(sec).padStart(2, "0")}${decimalSeparator}${Math.floor((s * 10) % 10)}`;
  },
};
