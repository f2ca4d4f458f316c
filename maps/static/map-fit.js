// On paper the map is A4 landscape, not the screen's size: fit the whole country to the page
// before printing, and the screen's view back after. On a narrow screen the legend and the
// road's panel start folded (a click opens them), so that they leave the island in view.
(() => {
  window.addEventListener("DOMContentLoaded", () => {
    if (window.innerWidth >= 1000) return;
    document.querySelectorAll("details.nia-fold").forEach((d) => { d.open = false; });
  });
  const bounds = JSON.parse(document.currentScript.dataset.bounds);
  let view = null;
  const map = () => Object.values(window).find((v) => v instanceof L.Map);
  window.addEventListener("beforeprint", () => {
    const m = map();
    view = [m.getCenter(), m.getZoom()];
    document.querySelectorAll("details.nia-legend").forEach((d) => { d.open = true; });
    m.invalidateSize({ animate: false });
    // clear of the caption (top left) and the legend (bottom right)
    m.fitBounds(bounds, { animate: false, paddingTopLeft: [0, 110], paddingBottomRight: [280, 0] });
  });
  window.addEventListener("afterprint", () => {
    const m = map();
    m.invalidateSize({ animate: false });
    if (view) m.setView(view[0], view[1], { animate: false });
  });
})();
