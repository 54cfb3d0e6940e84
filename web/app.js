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
    buildingCoverage: "建筑到场时间", inTime: "目标内到场", late: "超出目标", unreached: "无法到达",
    whatif: "情景推演", browse: "浏览", moveStation: "拖动消防站", addStation: "新增消防站", removeStation: "撤除消防站",
    hydrantTool: "增删消火栓（点空白处新增，点消火栓撤除）", stationClass: "站型", save: "保存为链接", reset: "恢复现状",
    computing: "计算中…", scenario: "情景", changes: "项变更", linkSaved: "链接已复制", change: "第{n}项变更",
    households: "目标内到场户数", before: "现状", after: "情景", gained: "增减", byTownship: "各乡镇增减户数",
    noChange: "覆盖户数无变化", gapsClosed: "消除覆盖缺口", gapsOpened: "新增覆盖缺口",
    hydrants: "消火栓", hgapsClosed: "消除保护盲区(米)", hgapsOpened: "新增保护盲区(米)",
    newlyProtected: "新受保护建筑", newlyUnprotected: "新失去保护建筑", intactRate: "完好率", pp: "个百分点", problems: "问题",
    notFound: "该链接的情景已过期或不存在（服务器只临时保存情景）。请重新编辑并保存新链接，新链接会带上变更内容，不再过期。",
    badLink: "链接中的变更无法读取（链接可能不完整）", addedStation: "新增消防站", movedStation: "移动消防站", removedStation: "撤除消防站",
    changedStation: "修改消防站", addedHydrant: "新增消火栓", removedHydrant: "撤除消火栓", changedHydrant: "修改消火栓",
    changedRoad: "修改道路", removedRoad: "撤除道路",
    special: "特勤站", urban1: "一级站", urban2: "二级站", small: "小型站", township_fulltime: "乡镇专职队",
    volunteer: "志愿消防队", micro: "微型消防站",
  },
  en: {
    title: "Fire-safety planning map", target: "Response target", min: "min", downloads: "Downloads",
    isochrones: "Reached within target", coverageGaps: "Uncovered villages / districts", hydrantGaps: "Hydrant gaps",
    proposals: "Proposed hydrants", proposals20: "This year's 20 sites", clusters: "House clusters (30+ households)",
    working: "Hydrant, working", broken: "Hydrant, broken", station: "Fire station", road: "Road", narrow: "Road too narrow (<4 m)",
    building: "Building", wood: "Wooden building", district: "Old district", builtup: "Built-up area", village: "Village", township: "Township",
    tier100: "100+ households", tier50: "50–99", tier30: "30–49", streetGap: "Unprotected street", spacing: "Spacing gap",
    loading: "Loading…", ready: "Layers ready",
    buildingCoverage: "Arrival per building", inTime: "Reached within target", late: "Later than target", unreached: "Not reached",
    whatif: "What-if", browse: "Browse", moveStation: "Drag a station", addStation: "Add a station", removeStation: "Remove a station",
    hydrantTool: "Hydrants (click to add, click one to remove)", stationClass: "Class", save: "Save as link", reset: "Reset to baseline",
    computing: "Computing…", scenario: "Scenario", changes: "changes", linkSaved: "Link copied", change: "change {n}",
    households: "Households reached within target", before: "Baseline", after: "Scenario", gained: "Change", byTownship: "Change per township",
    noChange: "No change in households reached", gapsClosed: "Coverage gaps closed", gapsOpened: "Coverage gaps opened",
    hydrants: "Hydrants", hgapsClosed: "Hydrant gaps closed (m)", hgapsOpened: "Hydrant gaps opened (m)",
    newlyProtected: "Buildings newly protected", newlyUnprotected: "Buildings newly unprotected", intactRate: "Intact rate", pp: " pp",
    problems: "Problems",
    notFound: "This link's scenario has expired or does not exist (the server keeps scenarios only for a while). Make the changes again and save a new link: new links carry their changes and do not expire.",
    badLink: "The changes in this link cannot be read (the link may be cut short)", addedStation: "added station", movedStation: "moved station",
    removedStation: "removed station", changedStation: "changed station", addedHydrant: "added hydrant", removedHydrant: "removed hydrant",
    changedHydrant: "changed hydrant", changedRoad: "changed road", removedRoad: "removed road",
    special: "Special", urban1: "Urban level 1", urban2: "Urban level 2", small: "Small", township_fulltime: "Township full-time",
    volunteer: "Volunteer", micro: "Micro station",
  },
};
let lang = "zh";
const t = (k) => T[lang][k] || k;

// The current scenario's id (null: the baseline). Every source an edit can
// change reads it, and so do the download links.
let scenarioID = null;
const withScenario = (url) => scenarioID ? `${url}${url.includes("?") ? "&" : "?"}scenario=${scenarioID}` : url;

// A saved link carries the changes themselves (changes=, base64url of their
// JSON), besides the id: the server forgets scenarios, but posting the same
// changes again gives the same id back.
function encodeChanges(changes) {
  const bytes = new TextEncoder().encode(JSON.stringify(changes));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeChanges(s) {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  const changes = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
  if (!Array.isArray(changes) || !changes.length) throw new Error("no changes");
  return changes;
}

// resolveLink turns the page's ?scenario=ID[&changes=...] into the
// scenario the server knows ({sc}), or what went wrong ({error}), before
// the map exists, so its first tiles already read the scenario.
async function resolveLink(params) {
  const id = params.get("scenario"), packed = params.get("changes");
  if (!id && !packed) return {};
  const answer = async (r) => {
    const body = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
    return r.ok ? { sc: body } : { error: r.status === 404 ? { error: t("notFound") } : body };
  };
  if (packed) {
    let changes;
    try {
      changes = decodeChanges(packed);
    } catch {
      if (!id) return { error: { error: t("badLink") } };
    }
    if (changes) {
      const r = await fetch("/api/scenarios", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: "map", changes }) });
      const out = await answer(r);
      if (out.error) out.changes = changes;
      return out;
    }
  }
  return answer(await fetch(`/api/scenarios/${encodeURIComponent(id)}`));
}

// linkURL is the page's address for the scenario (or for the baseline).
function linkURL(id, changes) {
  const u = new URL(location.href);
  u.searchParams.delete("scenario");
  u.searchParams.delete("changes");
  if (id) {
    u.searchParams.set("scenario", id);
    u.searchParams.set("changes", encodeChanges(changes));
  }
  return u;
}

const analyses = [
  { id: "coverage_isochrones", label: "isochrones", on: true, layers: ["iso-fill"],
    downloads: (m) => [[`/api/coverage/isochrones?minutes=${m}&station=all`, "GeoJSON"]] },
  { id: "coverage_gaps", label: "coverageGaps", on: true, layers: ["gaps-fill", "gaps-line"],
    downloads: (m) => [[`/api/coverage/gaps?minutes=${m}`, "GeoJSON"], [`/api/coverage/gaps?minutes=${m}&format=csv`, "CSV"],
      [`/api/coverage/gaps?minutes=${m}&format=xlsx`, "Excel"]] },
  { id: "coverage_buildings", label: "buildingCoverage", on: true, layers: ["bcov"],
    downloads: () => [["/api/coverage/buildings?format=csv", "CSV"]] },
  { id: "hydrant_gaps", label: "hydrantGaps", on: false, layers: ["hgaps-line", "hgaps-point"],
    downloads: () => [["/api/hydrants/gaps", "GeoJSON"], ["/api/hydrants/gaps?format=csv", "CSV"]] },
  { id: "hydrant_proposals", label: "proposals", on: true, layers: ["proposals"],
    downloads: () => [["/api/hydrants/proposals?count=20", "GeoJSON (20)"], ["/api/hydrants/proposals", "GeoJSON"],
      ["/api/hydrants/proposals?format=csv", "CSV"], ["/api/hydrants/proposals?count=20&format=xlsx", "Excel (20)"]] },
  { id: "clusters", label: "clusters", on: true, layers: ["clusters-fill", "clusters-line"],
    downloads: () => [["/api/clusters?min_households=30", "GeoJSON"], ["/api/clusters?min_households=30&format=csv", "CSV"],
      ["/api/clusters?min_households=30&format=xlsx", "Excel"]] },
];

// Tile sources that depend on stations or hydrants: a scenario switches them.
const scenarioSources = new Set(["stations", "hydrants", "coverage_isochrones", "coverage_gaps", "station_siting",
  "hydrant_gaps", "hydrant_proposals"]);
// Buildings' arrival comes as GeoJSON of the view, from this zoom on.
const buildingZoom = 14;

const tierColor = ["match", ["get", "tier"], "100+", "#b30000", "50-99", "#e34a33", "30-49", "#fc8d59", "#fdcc8a"];
const minuteColors = { 5: "#1a9850", 8: "#fee08b", 15: "#f46d43" };
const minuteColor = ["match", ["get", "minutes"], 5, minuteColors[5], 8, minuteColors[8], 15, minuteColors[15], "#cccccc"];
const arrivalColors = { inTime: "#1a9850", late: "#d7191c", unreached: "#555555" };
const arrivalColor = (minutes) => ["case", ["!", ["has", "arrival_min"]], arrivalColors.unreached,
  ["==", ["get", "arrival_min"], null], arrivalColors.unreached,
  ["<=", ["get", "arrival_min"], minutes], arrivalColors.inTime, arrivalColors.late];
const esc = (v) => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function tileURL(name, minutes) {
  const params = {
    coverage_isochrones: "?minutes=5,8,15",
    coverage_gaps: `?minutes=${minutes}`,
    hydrant_proposals: "?count=0",
    clusters: "?min_households=30",
  }[name] || "";
  const url = `${location.origin}/tiles/${name}/{z}/{x}/{y}.mvt${params}`;
  return scenarioSources.has(name) ? withScenario(url) : url;
}

function sources(index, minutes) {
  const out = {};
  for (const l of index) {
    out[l.name] = { type: "vector", tiles: [tileURL(l.name, minutes)], minzoom: l.minzoom, maxzoom: l.maxzoom };
  }
  out.coverage_buildings = { type: "geojson", data: { type: "FeatureCollection", features: [] } };
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
    { id: "bcov", source: "coverage_buildings", type: "circle", minzoom: buildingZoom, paint: {
      "circle-color": arrivalColor(minutes), "circle-radius": ["interpolate", ["linear"], ["zoom"], 14, 2, 17, 5],
      "circle-stroke-color": "#fff", "circle-stroke-width": 0.5 } },
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
    ["#e6d3c3", "builtup"], [minuteColors[minutes] || "#cccccc", "isochrones"], ["#d7191c", "coverageGaps"],
    [arrivalColors.inTime, "inTime"], [arrivalColors.late, "late"], [arrivalColors.unreached, "unreached"], ["#b30000", "tier100"],
    ["#e34a33", "tier50"], ["#fc8d59", "tier30"], ["#e7298a", "streetGap"], ["#ff7f00", "spacing"],
  ];
  document.getElementById("legend").innerHTML = items
    .map(([c, k]) => `<div><span class="swatch" style="background:${c}"></span>${t(k)}</div>`).join("");
}

function downloads(minutes) {
  const ul = document.querySelector("#downloads ul");
  ul.innerHTML = analyses.map((a) => `<li>${t(a.label)}: ` +
    a.downloads(minutes).map(([u, f]) => `<a href="${esc(withScenario(u))}" download>${f}</a>`).join(" · ") + "</li>").join("");
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
    .setHTML(`<div class="popup"><b>${esc(f.sourceLayer || f.source)}</b><table>${rows}</table></div>`).addTo(map);
}

// buildingCoverage loads the arrival at every building in view (from
// buildingZoom on), for the baseline or the scenario.
function buildingCoverage(map) {
  let seq = 0;
  return async () => {
    const src = map.getSource("coverage_buildings");
    const mine = ++seq;
    if (map.getZoom() < buildingZoom) return;
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
    const r = await fetch(withScenario(`/api/coverage/buildings?bbox=${bbox}&limit=10000`));
    if (mine !== seq || !r.ok) return;
    const fc = await r.json();
    if (mine === seq) src.setData(fc);
  };
}

// Scenario is the what-if mode: the edits made on the map, posted as one
// scenario after each of them; the map's changing sources then read it.
class Scenario {
  constructor(map, classes, cls, onChange) {
    this.map = map;
    this.classes = classes;
    this.onChange = onChange; // called with the new id (null: the baseline)
    this.changes = new Map(); // "layer/id" -> change, merged per feature, in first-edit order
    this.stations = []; // baseline stations (GeoJSON features)
    this.markers = new Map();
    this.tool = "browse";
    this.cls = cls || classes[0];
    this.seq = 0; // the latest post; older answers are dropped
    this.created = 0; // ids given to added features
    this.diff = null;
    this.problems = [];
    this.error = "";
    this.pending = false;
    window.fireplanScenario = this.state();
  }

  state() {
    return { id: scenarioID, pending: this.pending, error: this.error, diff: this.diff, changes: [...this.changes.values()] };
  }

  async load() {
    const r = await fetch("/api/layers/stations/items?limit=10000");
    if (!r.ok) throw new Error(`stations: ${r.status}`);
    this.stations = (await r.json()).features;
  }

  // setTool switches what a click or a drag on the map does.
  setTool(tool) {
    this.tool = tool;
    document.getElementById("cls-row").hidden = tool !== "addStation";
    this.map.getContainer().classList.toggle("map-adding", tool === "addStation" || tool === "hydrants");
    this.renderMarkers();
  }

  // renderMarkers shows the scenario's stations as markers while a station
  // tool is on; the drawn station layer steps aside meanwhile.
  renderMarkers() {
    for (const m of this.markers.values()) m.remove();
    this.markers.clear();
    const on = this.tool === "moveStation" || this.tool === "removeStation";
    if (this.map.getLayer("stations")) this.map.setLayoutProperty("stations", "visibility", on ? "none" : "visible");
    if (!on) return;
    for (const s of this.currentStations()) {
      const el = document.createElement("div");
      el.className = "station-marker" + (s.changed ? " changed" : "") + (this.tool === "removeStation" ? " remove-tool" : "");
      el.dataset.station = s.id;
      el.title = `${s.name || s.id} · ${t(s.class)}`;
      const m = new maplibregl.Marker({ element: el, draggable: this.tool === "moveStation" }).setLngLat([s.lon, s.lat]).addTo(this.map);
      m.on("dragend", () => {
        const { lng, lat } = m.getLngLat();
        this.edit(() => this.moveStation(s.id, lng, lat));
      });
      el.addEventListener("click", (e) => {
        if (this.tool !== "removeStation") return;
        e.stopPropagation();
        this.edit(() => this.remove("stations", s.id));
      });
      this.markers.set(s.id, m);
    }
  }

  // currentStations are the baseline's stations with the changes applied.
  currentStations() {
    const out = [];
    for (const f of this.stations) {
      const c = this.changes.get(`stations/${f.properties.id}`);
      if (c && c.op === "remove") continue;
      const [lon, lat] = f.geometry.coordinates;
      out.push({ id: f.properties.id, name: f.properties.name, class: f.properties.class, lon, lat, changed: !!c, ...(c ? pick(c) : {}) });
    }
    for (const c of this.changes.values()) {
      if (c.layer === "stations" && c.op === "add") out.push({ ...c, changed: true });
    }
    return out;
  }

  newID(prefix) {
    const taken = new Set(this.stations.map((f) => f.properties.id));
    let id;
    do id = `${prefix}-${++this.created}`; while (taken.has(id) || this.changes.has(`stations/${id}`) || this.changes.has(`hydrants/${id}`));
    return id;
  }

  moveStation(id, lon, lat) {
    const key = `stations/${id}`, c = this.changes.get(key) || { layer: "stations", op: "set", id };
    this.changes.set(key, { ...c, lon: round(lon), lat: round(lat) });
  }

  // remove drops an added feature's change, or records the removal of a
  // baseline one.
  remove(layer, id) {
    const key = `${layer}/${id}`, c = this.changes.get(key);
    if (c && c.op === "add") this.changes.delete(key);
    else this.changes.set(key, { layer, op: "remove", id });
  }

  // click handles a click on the map under the add and hydrant tools; it
  // returns false when the click is for the popup.
  click(e) {
    if (this.tool === "addStation") {
      const id = this.newID("new-station");
      this.edit(() => this.changes.set(`stations/${id}`,
        { layer: "stations", op: "add", id, class: this.cls, lon: round(e.lngLat.lng), lat: round(e.lngLat.lat) }));
      return true;
    }
    if (this.tool === "hydrants") {
      const p = e.point, box = [[p.x - 5, p.y - 5], [p.x + 5, p.y + 5]];
      const hit = this.map.getLayer("hydrants") && this.map.queryRenderedFeatures(box, { layers: ["hydrants"] })[0];
      if (hit) {
        this.edit(() => this.remove("hydrants", hit.properties.id));
      } else {
        const id = this.newID("new-hydrant");
        this.edit(() => this.changes.set(`hydrants/${id}`,
          { layer: "hydrants", op: "add", id, kind: "municipal", lon: round(e.lngLat.lng), lat: round(e.lngLat.lat) }));
      }
      return true;
    }
    return this.tool !== "browse";
  }

  // edit applies fn to the changes and posts them; on an error the changes
  // go back to what they were and the error is shown.
  async edit(fn) {
    const before = new Map(this.changes);
    fn();
    this.renderMarkers();
    const ok = await this.post();
    if (!ok) {
      this.changes = before;
      this.renderMarkers();
      this.render();
    }
  }

  async post() {
    const mine = ++this.seq;
    this.setPending(true);
    if (!this.changes.size) {
      this.show(null, null, []);
      return true;
    }
    const changes = [...this.changes.values()];
    try {
      const r = await fetch("/api/scenarios", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: "map", changes }) });
      const body = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
      if (mine !== this.seq) return true;
      if (!r.ok) {
        this.fail(body, changes);
        return false;
      }
      await this.open(body, mine);
      return true;
    } catch (err) {
      if (mine === this.seq) this.fail({ error: String(err) });
      return false;
    }
  }

  // open shows a scenario the server knows (just posted or from a link).
  async open(sc, mine = this.seq) {
    this.changes = new Map((sc.changes || []).map((c) => [`${c.layer}/${c.id}`, c]));
    const r = await fetch(`/api/scenarios/${encodeURIComponent(sc.id)}/diff?minutes=5,8,15`);
    const diff = await r.json().catch(() => null);
    if (mine !== this.seq) return;
    if (!r.ok) {
      this.fail(diff || { error: `HTTP ${r.status}` });
      return;
    }
    this.show(sc.id, diff, sc.problems || []);
  }

  // openLink shows a saved link's scenario, resolved (by resolveLink)
  // before the map was made; link.error says why it could not be.
  async openLink(link) {
    if (link.error) {
      this.fail(link.error, link.changes);
      return;
    }
    const mine = ++this.seq;
    this.setPending(true);
    await this.open(link.sc, mine);
    // A link with the id only becomes one that carries its changes.
    if (mine === this.seq && scenarioID === link.sc.id) history.replaceState(null, "", linkURL(scenarioID, [...this.changes.values()]));
  }

  show(id, diff, problems) {
    this.error = "";
    this.diff = diff;
    this.problems = problems;
    this.pending = false;
    this.onChange(id);
    this.renderMarkers();
    this.render();
  }

  // fail shows the server's message once: what the user did (for the
  // change at fault in changes, as posted), the field, the message without
  // the server's own "change N: " (counted from 0) and without the internal
  // ids the map gives added features.
  fail(body, changes = [...this.changes.values()]) {
    this.pending = false;
    let msg = String(body.error || "");
    let what = "";
    const i = body.change;
    if (Number.isInteger(i) && i >= 0) {
      msg = msg.replace(/^change \d+:\s*/, "");
      const c = changes[i];
      if (c) {
        what = describeChange(c, this.stations);
        if (c.op === "add") msg = msg.split(` "${c.id}"`).join("").split(`"${c.id}" `).join("");
      } else {
        what = t("change").replace("{n}", i + 1);
      }
    }
    const head = [what, body.field].filter(Boolean).join(" · ");
    this.error = head ? `${head}: ${msg}` : msg;
    this.render();
  }

  setPending(p) {
    this.pending = p;
    this.render();
  }

  reset() {
    this.seq++;
    this.changes.clear();
    this.show(null, null, []);
  }

  // saveLink puts the scenario in the address bar and in the link box, and
  // copies it where the browser allows.
  saveLink() {
    if (!scenarioID) return;
    const u = linkURL(scenarioID, [...this.changes.values()]);
    history.replaceState(null, "", u);
    const box = document.getElementById("link");
    box.value = u.href;
    box.hidden = false;
    box.select();
    navigator.clipboard?.writeText(u.href).then(() => { box.title = t("linkSaved"); }, () => {});
  }

  renderTools() {
    const box = document.getElementById("tools");
    box.innerHTML = "";
    for (const tool of ["browse", "moveStation", "addStation", "removeStation", "hydrants"]) {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = "tool";
      input.value = tool;
      input.checked = this.tool === tool;
      input.onchange = () => this.setTool(tool);
      label.append(input, " ", t(tool === "hydrants" ? "hydrantTool" : tool));
      box.append(label);
    }
    const sel = document.getElementById("cls");
    sel.innerHTML = this.classes.map((c) => `<option value="${esc(c)}"${c === this.cls ? " selected" : ""}>${esc(t(c))}</option>`).join("");
    sel.onchange = () => { this.cls = sel.value; };
  }

  render() {
    window.fireplanScenario = this.state();
    document.getElementById("save").disabled = !scenarioID;
    document.getElementById("reset").disabled = !scenarioID && !this.changes.size;
    if (!scenarioID) document.getElementById("link").hidden = true;
    const err = document.getElementById("wi-error");
    err.hidden = !this.error;
    err.textContent = this.error;
    const out = document.getElementById("diff");
    if (this.pending) {
      out.innerHTML = `<p class="muted">${t("computing")}</p>`;
      return;
    }
    out.innerHTML = scenarioID ? diffHTML(scenarioID, this.changes.size, this.diff, this.problems) : "";
  }
}

// describeChange names a change by what the user did on the map (the ids
// of added features are the map's own, so they are left out).
function describeChange(c, stations = []) {
  const kind = { stations: "Station", hydrants: "Hydrant", roads: "Road" }[c.layer];
  if (!kind) return `${c.op} ${c.layer} ${c.id}`;
  let verb = { add: "added", remove: "removed" }[c.op] || "changed";
  if (c.op === "set" && c.layer === "stations" && c.lon !== undefined && Object.keys(pick(c)).every((k) => k === "lon" || k === "lat")) verb = "moved";
  const label = t(verb + kind);
  if (c.op === "add") return label;
  const f = c.layer === "stations" && stations.find((s) => s.properties.id === c.id);
  return `${label} ${f?.properties.name || c.id}`;
}

const round = (v) => Math.round(v * 1e6) / 1e6;
const pick = (c) => Object.fromEntries(["lon", "lat", "class", "name"].filter((k) => c[k] !== undefined).map((k) => [k, c[k]]));
const num = (v) => (v === null || v === undefined ? "–" : Number(v).toLocaleString(lang === "zh" ? "zh-CN" : "en", { maximumFractionDigits: 1 }));
const signed = (v) => `<span class="${v > 0 ? "gain" : v < 0 ? "loss" : ""}">${v > 0 ? "+" : ""}${num(v)}</span>`;
const pct = (v) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(2)}%`);
// pp is the change of a rate in percentage points, to two decimals.
const pp = (before, after) => {
  if (before === null || before === undefined || after === null || after === undefined) return "";
  const d = Math.round((after - before) * 10000) / 100;
  return `<span class="${d > 0 ? "gain" : d < 0 ? "loss" : ""}">${d > 0 ? "+" : d < 0 ? "−" : "±"}${Math.abs(d).toFixed(2)}${t("pp")}</span>`;
};

// diffHTML renders GET /api/scenarios/{id}/diff: households reached per
// target (the county's totals, then the townships that changed), coverage
// gaps, hydrant gaps.
function diffHTML(id, n, d, problems) {
  let h = `<p id="scenario-id"><b>${t("scenario")} ${esc(id)}</b> · ${n} ${t("changes")}</p>`;
  if (problems.length) h += `<p class="loss">${t("problems")}: ${problems.map((p) => esc(p.message || p.msg || JSON.stringify(p))).join("; ")}</p>`;
  if (!d) return h;
  const cov = d.coverage || {}, all = cov.townships || [];
  // The county's own row (as in /api/coverage), where the diff has one,
  // is the total; otherwise the townships add up to it.
  const county = all.filter((r) => r.township_id === "county");
  const rows = all.filter((r) => r.township_id !== "county");
  const totals = new Map();
  for (const r of county.length ? county : rows) {
    const s = totals.get(r.target_min) || { before: 0, after: 0 };
    s.before += r.households_before;
    s.after += r.households_after;
    totals.set(r.target_min, s);
  }
  h += `<h3>${t("households")}</h3><table id="diff-totals"><tr><th>${t("target")}</th><th>${t("before")}</th><th>${t("after")}</th><th>${t("gained")}</th></tr>` +
    [...totals].sort((a, b) => a[0] - b[0]).map(([m, s]) =>
      `<tr data-target="${m}"><td>${m} ${t("min")}</td><td>${num(s.before)}</td><td class="after">${num(s.after)}</td><td>${signed(s.after - s.before)}</td></tr>`).join("") +
    "</table>";
  const changed = rows.filter((r) => r.gained);
  h += changed.length
    ? `<h3>${t("byTownship")}</h3><table><tr><th>${t("township")}</th><th>${t("target")}</th><th>${t("gained")}</th></tr>` +
      changed.map((r) => `<tr><td>${esc(r.name || r.township_id)}</td><td>${r.target_min}</td><td>${signed(r.gained)}</td></tr>`).join("") + "</table>"
    : `<p class="muted">${t("noChange")}</p>`;
  h += `<table><tr><td>${t("gapsClosed")}</td><td>${signed(cov.gaps_closed || 0)}</td></tr>` +
    `<tr><td>${t("gapsOpened")}</td><td>${num(cov.gaps_opened || 0)}</td></tr></table>`;
  const hy = d.hydrants;
  if (hy) {
    h += `<h3>${t("hydrants")}</h3><table>` +
      `<tr><td>${t("hgapsClosed")}</td><td>${num(hy.gaps_closed_m)}</td></tr>` +
      `<tr><td>${t("hgapsOpened")}</td><td>${num(hy.gaps_opened_m)}</td></tr>` +
      `<tr id="diff-protected"><td>${t("newlyProtected")}</td><td>${num(hy.buildings_newly_protected)}</td></tr>` +
      `<tr id="diff-unprotected"><td>${t("newlyUnprotected")}</td><td>${num(hy.buildings_newly_unprotected)}</td></tr>` +
      `<tr id="diff-intact"><td>${t("intactRate")}</td><td>${pct(hy.intact_rate_before)} → ${pct(hy.intact_rate_after)} ` +
      `(${pp(hy.intact_rate_before, hy.intact_rate_after)})</td></tr></table>`;
  }
  return h;
}

// setTiles points a vector source at new tiles and drops every tile it
// holds, in view and cached, at every zoom: MapLibre's setTiles alone
// reloads the tiles it holds in place (sending their ETags, keeping the
// old data while they load), and a user found the old scenario's stations
// left on the map at the county overview after a switch. Without MapLibre's tile manager the source
// is removed and added again with its layers.
function setTiles(map, name, url) {
  const src = map.getSource(name);
  if (!src) return;
  src.setTiles([url]);
  const tm = map.style?.tileManagers?.[name] || map.style?.sourceCaches?.[name];
  if (tm && typeof tm.clearTiles === "function") {
    tm.clearTiles();
    map.triggerRepaint();
    return;
  }
  const style = map.getStyle();
  const all = style.layers, mine = all.filter((l) => l.source === name);
  for (const l of mine) map.removeLayer(l.id);
  map.removeSource(name);
  map.addSource(name, { ...style.sources[name], tiles: [url] });
  for (const l of mine) {
    const next = all.slice(all.indexOf(l) + 1).find((n) => n.source !== name);
    map.addLayer(l, next?.id);
  }
}

async function main() {
  const status = document.getElementById("status");
  status.textContent = t("loading");
  // A saved link's scenario is resolved first: the map's first tiles
  // already read it, so no baseline tile is ever drawn (or cached) for it.
  const [index, info, catalog, link] = await Promise.all([fetch("/tiles").then((r) => r.json()), fetch("/api/layers").then((r) => r.json()),
    fetch("/api/catalog").then((r) => r.json()), resolveLink(new URLSearchParams(location.search))
      .catch((e) => ({ error: { error: String(e) } }))]);
  if (link.sc) scenarioID = link.sc.id;
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
  const showStatus = () => {
    status.textContent = window.fireplanIdle ? `${t("ready")} · z${map.getZoom().toFixed(1)}` : t("loading");
  };
  const loadBuildings = buildingCoverage(map);
  // retile points every source a scenario or the target changes at the
  // current ones; the styles stay.
  const retile = () => {
    window.fireplanIdle = false;
    for (const l of index) {
      if (scenarioSources.has(l.name)) setTiles(map, l.name, tileURL(l.name, minutes));
    }
    loadBuildings();
  };
  // The station classes come from the catalogue's siting parameter.
  const classParam = catalog.entries.find((e) => e.name === "station_siting")?.params.find((p) => p.name === "class");
  const scenario = new Scenario(map, classParam?.enum || [], classParam?.default, (id) => {
    if (id === scenarioID) return;
    scenarioID = id;
    // The address keeps a saved link only while it is the one shown.
    if (new URLSearchParams(location.search).get("scenario") !== id) history.replaceState(null, "", linkURL(null));
    retile();
    downloads(minutes);
  });
  map.on("click", (e) => {
    if (e.originalEvent.target.closest?.(".maplibregl-marker")) return;
    if (!scenario.click(e)) popup(map, e);
  });
  map.on("idle", () => { window.fireplanIdle = true; showStatus(); });
  map.on("movestart", () => { window.fireplanIdle = false; });
  map.on("moveend", loadBuildings);
  map.on("load", () => {
    for (const a of analyses) for (const id of a.layers) map.setLayoutProperty(id, "visibility", a.on ? "visible" : "none");
    loadBuildings();
    scenario.load().then(() => (link.sc || link.error ? scenario.openLink(link) : null))
      .catch((e) => { scenario.fail({ error: String(e) }); });
  });
  document.getElementById("minutes").onchange = (e) => {
    minutes = Number(e.target.value);
    window.fireplanIdle = false;
    map.setFilter("iso-fill", ["==", ["get", "minutes"], minutes]);
    map.setPaintProperty("bcov", "circle-color", arrivalColor(minutes));
    setTiles(map, "coverage_gaps", tileURL("coverage_gaps", minutes));
    legend(minutes); downloads(minutes);
  };
  document.getElementById("save").onclick = () => scenario.saveLink();
  document.getElementById("reset").onclick = () => scenario.reset();
  document.getElementById("lang").onclick = () => {
    lang = lang === "zh" ? "en" : "zh";
    translate(); toggles(map); legend(minutes); downloads(minutes); showStatus(); scenario.renderTools(); scenario.render();
  };
  translate(); toggles(map); legend(minutes); downloads(minutes); scenario.renderTools(); scenario.render();
}

main().catch((e) => { document.getElementById("status").textContent = String(e); window.fireplanError = String(e); });
