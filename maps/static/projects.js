// The projects map's projects, fetched apart from the page (at a ministry's 10,000 projects a
// marker each in the page's own script made it megabytes, and minutes to write): a circle each,
// coloured by status, in one layer per status that the layer control shows and hides. Popups and
// tooltips are built as text nodes: a name or a reason is text, never markup. When every
// project is drawn, the page says so: <html data-map="ready">.
(() => {
  const script = document.currentScript;
  const { colours, names, canvasAbove } = JSON.parse(script.dataset.options);
  const feed = fetch(script.dataset.src, { credentials: "same-origin" }).then((response) => {
    if (!response.ok) throw new Error(`${response.status} ${response.url}`);
    return response.json();
  });

  const line = (parent, ...parts) => {
    const p = parent.appendChild(document.createElement("div"));
    for (const [text, tag] of parts) {
      p.appendChild(tag ? document.createElement(tag) : document.createTextNode(""))
        .textContent = text;
    }
    return p;
  };
  const card = (layer) => {
    const p = layer.feature.properties, box = document.createElement("div");
    line(box, [p.name_zh, "b"]);
    line(box, [`${p.name} (${p.code})`]);
    const status = line(box, ["狀態 Status: "], [p.status, "b"], [` · ${p.reasons.join("; ")}`]);
    status.querySelector("b").style.color = colours[p.status];
    line(box, [`時程 Schedule used ${p.schedule_used_pct.toFixed(1)}% · 進度 work done ` +
               `${p.work_done_pct.toFixed(1)}% · 經費 budget spent ${p.budget_burn_pct.toFixed(1)}%`]);
    line(box, [`預算 Budget NT$${p.budget_total_ntd.toLocaleString("en")} · 預估完工 forecast ` +
               `finish ${p.forecast_finish} (${p.forecast_finish_roc})`]);
    return box;
  };
  const tip = (layer) => {
    const p = layer.feature.properties;
    return document.createTextNode(`${p.name_zh} · ${p.status}`);
  };

  const draw = (map, projects) => {
    const renderer = projects.features.length > canvasAbove ? L.canvas({ padding: 0.5 }) : L.svg();
    const groups = {};
    for (const status of Object.keys(names)) {
      groups[names[status]] = L.geoJSON(null, {
        filter: (feature) => feature.properties.status === status,
        pointToLayer: (feature, at) => L.circleMarker(at, {
          renderer, radius: 11, color: "#333333", weight: 1, fillOpacity: 0.95,
          fillColor: colours[status], className: `nia-project nia-${status}`,
        }),
        onEachFeature: (feature, layer) => layer.bindPopup(card, { maxWidth: 360 }).bindTooltip(tip),
      }).addData(projects).addTo(map);
    }
    L.control.layers(null, groups, { collapsed: false }).addTo(map);
    document.documentElement.dataset.map = "ready";
  };

  window.addEventListener("DOMContentLoaded", () => {
    const map = Object.values(window).find((v) => v instanceof L.Map);
    feed.then((projects) => draw(map, projects)).catch((error) => {
      document.documentElement.dataset.map = "failed";
      const note = document.createElement("p");
      note.textContent = "工程計畫未能載入，請重新整理 The projects could not be loaded: reload the page";
      document.querySelector(".nia-caption")?.append(note);
      throw error;
    });
  });
})();
