// Trends: the performance review's Print button (the print stylesheet does the rest).
for (const button of document.querySelectorAll("[data-print]")) button.addEventListener("click", () => window.print());

// Each chart's table sits in a closed <details>; open them for printing, and close again the ones that were closed.
let openedForPrint = [];
window.addEventListener("beforeprint", () => {
    openedForPrint = [...document.querySelectorAll("details.chart-table:not([open])")];
    for (const details of openedForPrint) details.open = true;
});
window.addEventListener("afterprint", () => {
    for (const details of openedForPrint) details.open = false;
    openedForPrint = [];
});
