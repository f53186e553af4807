// Trends: the performance review's Print button (the print stylesheet does the rest).
for (const button of document.querySelectorAll("[data-print]")) button.addEventListener("click", () => window.print());
