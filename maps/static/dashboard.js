// An S-curve opens full size: its chart, copied into the page's dialog.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.nia-curve");
  if (!button) return;
  const dialog = document.querySelector("dialog.nia-zoom");
  dialog.querySelector("div").replaceChildren(button.querySelector("svg").cloneNode(true));
  dialog.showModal();
});
