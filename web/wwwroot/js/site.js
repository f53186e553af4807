// Every htmx request that changes something carries the antiforgery token from the page's meta tags;
// the server validates it on every POST, whether it comes from a form or from htmx.
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.verb === "get") return;
  const header = document.querySelector('meta[name="csrf-header"]')?.content;
  const token = document.querySelector('meta[name="csrf-token"]')?.content;
  if (header && token) event.detail.headers[header] = token;
});
