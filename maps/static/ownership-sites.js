// The ownership map's sites, fetched apart from the page (at a ministry's scale they would make
// the page megabytes of script): a circle each, on one canvas above a few thousand, clustered
// by Leaflet.markercluster in chunks so that the page stays responsive while it fills. Popups
// and tooltips are built from the feed as text nodes: a name is text, never markup. When every
// site is in, the page says so: <html data-map="ready">.
(() => {
  const script = document.currentScript;
  const { colours, fields, canvasAbove } = JSON.parse(script.dataset.options);
  const kinds = Object.keys(fields);
  const feed = fetch(script.dataset.src, { credentials: "same-origin" }).then((response) => {
    if (!response.ok) throw new Error(`${response.status} ${response.url}`);
    return response.json();
  });

  const card = (layer) => {
    const site = layer.feature.properties, table = document.createElement("table");
    for (const [name, label] of fields[site.kind]) {
      const row = table.insertRow();
      row.appendChild(document.createElement("th")).textContent = label;
      row.insertCell().textContent = site[name];
    }
    return table;
  };
  const nameOf = (layer) => document.createTextNode(layer.feature.properties.zh);
  const popup = { maxWidth: 360, className: "nia-site-popup", autoPanPaddingTopLeft: [10, 140] };

  // A cluster is a ring in the mix of what it holds, with the count inside: the share of the
  // colours reads at a glance, the count exactly.
  const ring = (cluster) => {
    const n = Object.fromEntries(kinds.map((k) => [k, 0]));
    for (const marker of cluster.getAllChildMarkers()) n[marker.feature.properties.kind] += 1;
    const total = cluster.getChildCount();
    let at = 0;
    const stops = kinds.map((k) => `${colours[k]} ${at}% ${(at += (n[k] * 100) / total)}%`);
    const size = total < 10 ? 28 : total < 100 ? 34 : 40;
    const counts = kinds.map((k) => `data-${k}='${n[k]}'`).join(" ");
    const html = `<div class='nia-cluster' ${counts} style='background:conic-gradient(` +
      `${stops.join(",")})'><span>${total}</span></div>`;
    return L.divIcon({ html, className: "nia-cluster-icon", iconSize: L.point(size, size) });
  };

  const draw = (map, sites) => {
    const renderer = sites.features.length > canvasAbove ? L.canvas({ padding: 0.5 }) : L.svg();
    const markers = L.geoJSON(sites, {
      pointToLayer: (feature, at) => L.circleMarker(at, {
        renderer, radius: 7, color: "#ffffff", weight: 1.5, fillOpacity: 1,
        fillColor: colours[feature.properties.kind],
        className: `nia-site nia-${feature.properties.kind}`,
      }),
      onEachFeature: (feature, layer) => layer.bindPopup(card, popup).bindTooltip(nameOf),
    }).getLayers();
    const group = L.markerClusterGroup({
      maxClusterRadius: 56, showCoverageOnHover: false, spiderfyDistanceMultiplier: 1.6,
      iconCreateFunction: ring, chunkedLoading: true,
      chunkProgress: (done, total) => {  // also called as the group joins the map, with none
        if (done === total && total === markers.length) document.documentElement.dataset.map = "ready";
      },
    });
    window.NIA_SITES = group;
    group.addTo(map).addLayers(markers);
  };

  window.addEventListener("DOMContentLoaded", () => {
    const map = Object.values(window).find((v) => v instanceof L.Map);
    feed.then((sites) => draw(map, sites)).catch((error) => {
      document.documentElement.dataset.map = "failed";
      const note = document.createElement("p");
      note.textContent = "據點未能載入，請重新整理 The sites could not be loaded: reload the page";
      document.querySelector(".nia-caption")?.append(note);
      throw error;
    });
  });
})();
