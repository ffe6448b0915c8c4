// The print views' 打印 button (inline handlers are refused by the pages' Content-Security-Policy).
document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
