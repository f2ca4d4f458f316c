// A map page's navigation bar takes the height it needs (one line at 1366 px, more on a
// narrow screen): the map and its captions start below it.
(function () {
  function place() {
    var nav = document.querySelector(".nia-map-nav");
    if (nav) document.documentElement.style.setProperty("--nav-h", nav.offsetHeight + "px");
    if (window.dispatchEvent) window.dispatchEvent(new Event("nia-nav-placed"));
  }
  window.addEventListener("resize", place);
  document.addEventListener("DOMContentLoaded", place);
  place();
})();
