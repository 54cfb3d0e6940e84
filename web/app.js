// fireplan's map: base layers and analyses from our own vector tiles.
import * as maplibregl from "/web/vendor/maplibre-gl.mjs";

const T = {
  zh: {
    title: "消防规划图", target: "响应目标", min: "分钟", downloads: "下载",
    isochrones: "到场时间范围", coverageGaps: "未覆盖村庄/老旧小区", hydrantGaps: "消火栓缺口",
    proposals: "建议新增消火栓", proposals20: "今年20处建议点位", clusters: "连片村寨（30户以上）",
    working: "完好消火栓", broken: "损坏消火栓", station: "消防站", road: "道路", narrow: "过窄道路(<4米)",
    building: "建筑", wood: "木结构建筑", district: "老旧小区", builtup: "建成区", village: "行政村", township: "乡镇",
    tier100: "100户以上", tier50: "50–99户", tier30: "30–49户", streetGap: "保护盲区街道", spacing: "间距超标",
    loading: "加载中…", ready: "图层就绪",
  },
  en: {
    title: "Fire-safety planning map", target: "Response target", min: "min", downloads: "Downloads",
    isochrones: "Reached within target", coverageGaps: "Uncovered villages / districts", hydrantGaps: "Hydrant gaps",
    proposals: "Proposed hydrants", proposals20: "This year's 20 sites", clusters: "House clusters (30+ households)",
    working: "Hydrant, working", broken: "Hydrant, broken", station: "Fire station", road: "Road", narrow: "Road too narrow (<4 m)",
    building: "Building", wood: "Wooden building", district: "Old district", builtup: "Built-up area", village: "Village", township: "Township",
    tier100: "100+ households", tier50: "50–99", tier30: "30–49", streetGap: "Unprotected street", spacing: "Spacing gap",
    loading: "Loading…", ready: "Layers ready",
  },
};
let lang = "zh";
const t = (k) => T[lang][k] || k;

const analyses = [
  { id: "coverage_isochrones", label: "isochrones", on: true, layers: ["iso-fill"],
    downloads: (m) => [[`/api/coverage/isochrones?minutes=${m}&station=all`, "GeoJSON"]] },
  { id: "coverage_gaps", label: "coverageGaps", on: true, layers: ["gaps-fill", "gaps-line"],
    downloads: (m) => [[`/api/coverage/gaps?minutes=${m}`, "GeoJSON"], [`/api/coverage/gaps?minutes=${m}&format=csv`, "CSV"],
      [`/api/coverage/gaps?minutes=${m}&format=xlsx`, "Excel"]] },
  { id: "hydrant_gaps", label: "hydrantGaps", on: false, layers: ["hgaps-line", "hgaps-point"],
    downloads: () => [["/api/hydrants/gaps", "GeoJSON"], ["/api/hydrants/gaps?format=csv", "CSV"]] },
  { id: "hydrant_proposals", label: "proposals", on: true, layers: ["proposals"],
    downloads: () => [["/api/hydrants/proposals?count=20", "GeoJSON (20)"], ["/api/hydrants/proposals", "GeoJSON"],
      ["/api/hydrants/proposals?format=csv", "CSV"], ["/api/hydrants/proposals?count=20&format=xlsx", "Excel (20)"]] },
  { id: "clusters", label: "clusters", on: true, layers: ["clusters-fill", "clusters-line"],
    downloads: () => [["/api/clusters?min_households=30", "GeoJSON"], ["/api/clusters?min_households=30&format=csv", "CSV"],
      ["/api/clusters?min_households=30&format=xlsx", "Excel"]] },
];

const tierColor = ["match", ["get", "tier"], "100+", "#b30000", "50-99", "#e34a33", "30-49", "#fc8d59", "#fdcc8a"];
const minuteColors = { 5: "#1a9850", 8: "#fee08b", 15: "#f46d43" };
const minuteColor = ["match", ["get", "minutes"], 5, minuteColors[5], 8, minuteColors[8], 15, minuteColors[15], "#cccccc"];
const esc = (v) => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function sources(index, minutes) {
  const out = {};
  for (const l of index) {
    const params = {
      coverage_isochrones: "?minutes=5,8,15",
      coverage_gaps: `?minutes=${minutes}`,
      hydrant_proposals: "?count=0",
      clusters: "?min_households=30",
    }[l.name] || "";
    out[l.name] = { type: "vector", tiles: [`${location.origin}/tiles/${l.name}/{z}/{x}/{y}.mvt${params}`],
      minzoom: l.minzoom, maxzoom: l.maxzoom };
  }
  return out;
}

function layers(minutes) {
  const L = (id, source, type, paint, extra = {}) => ({ id, source, "source-layer": source, type, paint, ...extra });
  return [
    { id: "bg", type: "background", paint: { "background-color": "#f4f1ea" } },
    L("townships-fill", "townships", "fill", { "fill-color": "#e8e4d8", "fill-outline-color": "#999" }),
    L("townships", "townships", "line", { "line-color": "#7a6f5a", "line-width": 1.5, "line-dasharray": [4, 2] }),
    L("builtup", "builtup", "fill", { "fill-color": "#e6d3c3", "fill-opacity": 0.8 }),
    L("villages", "villages", "line", { "line-color": "#6a9a5b", "line-width": 1 }),
    L("districts", "districts", "fill", { "fill-color": "#d7b5d8", "fill-opacity": 0.6, "fill-outline-color": "#7b3294" }),
    L("iso-fill", "coverage_isochrones", "fill", { "fill-color": minuteColor, "fill-opacity": 0.45 },
      { filter: ["==", ["get", "minutes"], minutes] }),
    L("roads", "roads", "line", {
      "line-color": ["case", ["<", ["coalesce", ["get", "width_m"], 6], 4], "#c0392b",
        ["match", ["get", "class"], ["motorway", "trunk"], "#e67e22", ["primary", "secondary"], "#f1c40f", "#ffffff"]],
      "line-width": ["interpolate", ["linear"], ["zoom"], 8, 0.5, 16, ["match", ["get", "class"], ["motorway", "trunk", "primary"], 6, 3]],
    }, { layout: { "line-cap": "round" } }),
    L("roads-casing", "roads", "line", { "line-color": "#8a8a8a", "line-width": 0.3 }),
    L("buildings", "buildings", "fill", {
      "fill-color": ["match", ["get", "structure"], "wood", "#a0522d", "concrete", "#9aa5b1", "#c9b8a6"],
      "fill-outline-color": "#666" }),
    L("fire_lanes", "fire_lanes", "line", {
      "line-color": ["match", ["get", "status"], "obstructed", "#d7191c", "unmarked", "#fdae61", "#1a9641"], "line-width": 2,
      "line-dasharray": [2, 1] }),
    L("gaps-fill", "coverage_gaps", "fill", { "fill-color": "#d7191c", "fill-opacity": 0.25 }),
    L("gaps-line", "coverage_gaps", "line", { "line-color": "#d7191c", "line-width": 1.5 }),
    L("clusters-fill", "clusters", "fill", { "fill-color": tierColor, "fill-opacity": 0.5 }),
    L("clusters-line", "clusters", "line", { "line-color": tierColor, "line-width": 1.5 }),
    L("hgaps-line", "hydrant_gaps", "line", {
      "line-color": ["match", ["get", "kind"], "street_gap", "#e7298a", "spacing", "#ff7f00", "#7570b3"], "line-width": 3 },
      { filter: ["==", ["geometry-type"], "LineString"] }),
    L("hgaps-point", "hydrant_gaps", "circle", { "circle-color": "#e7298a", "circle-radius": 2 },
      { filter: ["==", ["geometry-type"], "Point"] }),
    L("hydrants", "hydrants", "circle", {
      "circle-color": ["match", ["get", "status"], "working", "#2b83ba", "broken", "#d7191c", "#999999"],
      "circle-radius": ["interpolate", ["linear"], ["zoom"], 12, 2, 16, 5], "circle-stroke-color": "#fff", "circle-stroke-width": 1 }),
    // This year's 20 sites stand out; the rest of the plan is paler.
    L("proposals", "hydrant_proposals", "circle", {
      "circle-color": ["case", ["<=", ["get", "rank"], 20], "#00c2c2", "#a6e3e3"],
      "circle-radius": ["interpolate", ["linear"], ["zoom"], 10, ["case", ["<=", ["get", "rank"], 20], 4, 2], 16, 8],
      "circle-stroke-color": "#004d4d", "circle-stroke-width": ["case", ["<=", ["get", "rank"], 20], 2, 0.5] }),
    L("stations", "stations", "circle", {
      "circle-color": "#b30000", "circle-radius": ["interpolate", ["linear"], ["zoom"], 8, 4, 16, 9],
      "circle-stroke-color": "#fff", "circle-stroke-width": 2 }),
  ];
}

function legend(minutes) {
  const items = [
    ["#2b83ba", "working"], ["#d7191c", "broken"], ["#b30000", "station"], ["#00c2c2", "proposals20"], ["#a6e3e3", "proposals"],
    ["#ffffff", "road"], ["#c0392b", "narrow"], ["#c9b8a6", "building"], ["#a0522d", "wood"], ["#d7b5d8", "district"],
    ["#e6d3c3", "builtup"], [minuteColors[minutes] || "#cccccc", "isochrones"], ["#d7191c", "coverageGaps"], ["#b30000", "tier100"],
    ["#e34a33", "tier50"], ["#fc8d59", "tier30"], ["#e7298a", "streetGap"], ["#ff7f00", "spacing"],
  ];
  document.getElementById("legend").innerHTML = items
    .map(([c, k]) => `<div><span class="swatch" style="background:${c}"></span>${t(k)}</div>`).join("");
}

function downloads(minutes) {
  const ul = document.querySelector("#downloads ul");
  ul.innerHTML = analyses.map((a) => `<li>${t(a.label)}: ` +
    a.downloads(minutes).map(([u, f]) => `<a href="${u}" download>${f}</a>`).join(" · ") + "</li>").join("");
}

function toggles(map) {
  const box = document.getElementById("toggles");
  box.innerHTML = "";
  for (const a of analyses) {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.checked = a.on;
    input.onchange = () => {
      a.on = input.checked;
      for (const id of a.layers) map.setLayoutProperty(id, "visibility", a.on ? "visible" : "none");
    };
    label.append(input, " ", t(a.label));
    box.append(label);
  }
}

function translate() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  document.getElementById("lang").textContent = lang === "zh" ? "English" : "中文";
}

function popup(map, e) {
  const fs = map.queryRenderedFeatures(e.point).filter((f) => f.layer.id !== "bg");
  if (!fs.length) return;
  const f = fs[0];
  const rows = Object.entries(f.properties).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join("");
  new maplibregl.Popup({ maxWidth: "320px" }).setLngLat(e.lngLat)
    .setHTML(`<div class="popup"><b>${esc(f.sourceLayer)}</b><table>${rows}</table></div>`).addTo(map);
}

async function main() {
  const status = document.getElementById("status");
  status.textContent = t("loading");
  const [index, info] = await Promise.all([fetch("/tiles").then((r) => r.json()), fetch("/api/layers").then((r) => r.json())]);
  let minutes = 5;
  // Open on the county. MapLibre uses bounds only when the URL has no map
  // hash; with hash: true it writes one as soon as the map exists, so the
  // county cannot be fitted after construction.
  const tw = info.layers.find((l) => l.name === "townships" && l.bbox) || info.layers.find((l) => l.bbox);
  const style = { version: 8, sources: sources(index, minutes), layers: layers(minutes) };
  // OpenStreetMap's licence asks every map of its data to credit it.
  if (info.attribution && style.sources.roads) style.sources.roads.attribution = info.attribution;
  const map = new maplibregl.Map({
    container: "map",
    style,
    hash: true,
    ...(tw ? { bounds: [[tw.bbox[0], tw.bbox[1]], [tw.bbox[2], tw.bbox[3]]], fitBoundsOptions: { padding: 20 } } : {}),
    maxZoom: 19,
    // ?print keeps the drawing buffer, so screenshots (and tests) see the map.
    canvasContextAttributes: { preserveDrawingBuffer: new URLSearchParams(location.search).has("print") },
    attributionControl: info.attribution ? { compact: false } : false,
  });
  window.fireplanMap = map;
  map.addControl(new maplibregl.NavigationControl(), "top-right");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-right");
  map.on("click", (e) => popup(map, e));
  const showStatus = () => {
    status.textContent = window.fireplanIdle ? `${t("ready")} · z${map.getZoom().toFixed(1)}` : t("loading");
  };
  map.on("idle", () => { window.fireplanIdle = true; showStatus(); });
  map.on("movestart", () => { window.fireplanIdle = false; });
  map.on("load", () => {
    for (const a of analyses) for (const id of a.layers) map.setLayoutProperty(id, "visibility", a.on ? "visible" : "none");
  });
  document.getElementById("minutes").onchange = (e) => {
    minutes = Number(e.target.value);
    window.fireplanIdle = false;
    map.setFilter("iso-fill", ["==", ["get", "minutes"], minutes]);
    map.getSource("coverage_gaps").setTiles([`${location.origin}/tiles/coverage_gaps/{z}/{x}/{y}.mvt?minutes=${minutes}`]);
    legend(minutes); downloads(minutes);
  };
  document.getElementById("lang").onclick = () => {
    lang = lang === "zh" ? "en" : "zh";
    translate(); toggles(map); legend(minutes); downloads(minutes); showStatus();
  };
  translate(); toggles(map); legend(minutes); downloads(minutes);
}

main().catch((e) => { document.getElementById("status").textContent = String(e); window.fireplanError = String(e); });
