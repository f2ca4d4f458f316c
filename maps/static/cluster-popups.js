// A site marker in a cluster leaves its GeoJSON layer off the map, and Leaflet opens a layer
// group's popup only when the group is on the map: give each marker its group's popup and
// tooltip (the same functions, building them from the marker's own feature).
window.addEventListener("DOMContentLoaded", () => {
  for (const group of Object.values(window)) {
    if (!(group instanceof L.GeoJSON) || group._map || !group._popup) continue;
    group.eachLayer((layer) => {
      layer.bindPopup(group._popup._content, group._popup.options);
      if (group._tooltip) layer.bindTooltip(group._tooltip._content, group._tooltip.options);
    });
    group.unbindPopup();
    if (group._tooltip) group.unbindTooltip();
  }
});
