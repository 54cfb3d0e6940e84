// What the map draws and what its legend says, from one table: the map
// page and the print page both build their style and legend here, so a
// colour cannot be drawn with one meaning and explained with another.

export const T = {
  zh: {
    title: "消防规划图", target: "响应目标", min: "分钟", downloads: "下载",
    isochrones: "到场时间范围", coverageGaps: "未覆盖村庄/老旧小区/其余建筑", hydrantGaps: "消火栓缺口",
    proposalsYear: "今年{n}处建议消火栓", proposalsPlan: "全部建议消火栓（完整规划）", clusters: "连片村寨（30户以上）",
    buildingCoverage: "建筑到场时间",
    reach5: "5分钟内到场范围", reach8: "8分钟内到场范围", reach15: "15分钟内到场范围",
    inTime: "建筑：目标内到场", late: "建筑：超出目标", unreached: "建筑：无法到达",
    gapArea: "村庄/老旧小区：目标时间内未覆盖", gapBuilding: "其余建筑：目标时间内未覆盖",
    working: "消火栓（完好）", broken: "消火栓（损坏）", plannedHydrant: "消火栓（规划）",
    stationFull: "消防站（专职）", stationVolunteer: "志愿/微型消防站", stationPlanned: "规划消防站（空心）",
    road: "道路", roadMajor: "主干道", roadMotorway: "高速/国道", narrow: "过窄道路（<4米）",
    building: "建筑", wood: "木结构建筑", concrete: "钢混建筑",
    district: "老旧小区", builtup: "建成区", villageLine: "行政村界", townshipLine: "乡镇界",
    laneMarked: "消防车道：已标识", laneUnmarked: "消防车道：未标识", laneObstructed: "消防车道：被占用", laneUnknown: "消防车道：状况不明",
    tier100: "连片村寨：100户以上", tier50: "连片村寨：50–99户", tier30: "连片村寨：30–49户", tierSmall: "连片村寨：30户以下",
    streetGap: "保护盲区街道", spacing: "消火栓间距超标", oneSide: "宽街仅单侧有消火栓", unprotected: "未受保护建筑",
    added: "情景：新增", moved: "情景：移动（虚线为原位置）", removed: "情景：撤除",
    legend: "图例", boundaries: "边界", base: "底图", analysis: "分析", scenarioGroup: "情景推演",
    print: "打印", paper: "纸张", landscape: "横向", portrait: "纵向", dataDate: "数据日期", version: "版本", source: "数据",
    layersOn: "图层", scenario: "情景", collapse: "收起", expand: "展开面板",
  },
  en: {
    title: "Fire-safety planning map", target: "Response target", min: "min", downloads: "Downloads",
    isochrones: "Reached within target", coverageGaps: "Uncovered villages / districts / other buildings", hydrantGaps: "Hydrant gaps",
    proposalsYear: "This year's {n} proposed hydrants", proposalsPlan: "All proposed hydrants (full plan)", clusters: "House clusters (30+ households)",
    buildingCoverage: "Arrival per building",
    reach5: "Reached within 5 min", reach8: "Reached within 8 min", reach15: "Reached within 15 min",
    inTime: "Building reached within target", late: "Building reached later than target", unreached: "Building not reached",
    gapArea: "Villages / districts not reached in time", gapBuilding: "Other buildings not reached in time",
    working: "Hydrant, working", broken: "Hydrant, broken", plannedHydrant: "Hydrant, planned",
    stationFull: "Fire station (full-time)", stationVolunteer: "Volunteer / micro station", stationPlanned: "Planned station (hollow)",
    road: "Road", roadMajor: "Main road", roadMotorway: "Motorway / trunk road", narrow: "Road too narrow (<4 m)",
    building: "Building", wood: "Wooden building", concrete: "Concrete building",
    district: "Old district", builtup: "Built-up area", villageLine: "Village boundary", townshipLine: "Township boundary",
    laneMarked: "Fire lane, marked", laneUnmarked: "Fire lane, unmarked", laneObstructed: "Fire lane, obstructed", laneUnknown: "Fire lane, status unknown",
    tier100: "Cluster, 100+ households", tier50: "Cluster, 50–99", tier30: "Cluster, 30–49", tierSmall: "Cluster, under 30",
    streetGap: "Street beyond hydrant reach", spacing: "Hydrant spacing too wide", oneSide: "Wide street, hydrants on one side", unprotected: "Unprotected building",
    added: "Scenario: added", moved: "Scenario: moved (dashed from where it was)", removed: "Scenario: removed",
    legend: "Legend", boundaries: "Boundaries", base: "Base map", analysis: "Analyses", scenarioGroup: "What-if",
    print: "Print", paper: "Paper", landscape: "Landscape", portrait: "Portrait", dataDate: "Data as of", version: "version", source: "Data",
    layersOn: "Layers", scenario: "Scenario", collapse: "Hide", expand: "Show panel",
  },
};

// yearSites is this year's share of the hydrant plan: its first N sites.
export const yearSites = 20;

// The fonts labels are drawn with, by the browser itself (the style has
// no glyph server, so MapLibre renders every character locally).
const fonts = ["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC"];

// The analyses a user can turn on and off, the layers each draws and
// whether it is on when the map opens.
export const analyses = [
  { id: "coverage_isochrones", label: "isochrones", on: true, layers: ["iso-fill"] },
  { id: "coverage_gaps", label: "coverageGaps", on: true, layers: ["gaps-fill", "gaps-line", "gaps-point"] },
  { id: "coverage_buildings", label: "buildingCoverage", on: true, layers: ["bcov"] },
  { id: "hydrant_gaps", label: "hydrantGaps", on: false, layers: ["hgaps-line", "hgaps-point"] },
  { id: "hydrant_proposals", label: "proposalsYear", on: true, layers: ["proposals"] },
  { id: "hydrant_plan", label: "proposalsPlan", on: false, layers: ["plan"] },
  { id: "clusters", label: "clusters", on: true, layers: ["clusters-fill", "clusters-line"] },
];

// Tile sources the map reads: a source id, the tile layer it serves and
// the parameters it asks for. The full hydrant plan is tiled (from the
// layer's zoom on); this year's few sites come whole (hydrant_year), so
// they show at the county's zoom too.
const tileParams = {
  coverage_isochrones: () => "minutes=5,8,15",
  coverage_gaps: (s) => `minutes=${s.minutes}`,
  hydrant_plan: () => "count=0",
  clusters: () => "min_households=30",
};
const tileLayerOf = { hydrant_plan: "hydrant_proposals" };

// Tile sources that depend on stations or hydrants: a scenario switches them.
export const scenarioSources = new Set(["stations", "hydrants", "coverage_isochrones", "coverage_gaps", "station_siting",
  "hydrant_gaps", "hydrant_plan"]);

// Buildings' arrival comes as GeoJSON of the view, from this zoom on.
export const buildingZoom = 14;

// tileURL is a source's tile address for the state ({minutes, scenario}).
export function tileURL(source, s) {
  const q = [tileParams[source]?.(s), scenarioSources.has(source) && s.scenario ? `scenario=${s.scenario}` : ""].filter(Boolean);
  return `${location.origin}/tiles/${tileLayerOf[source] || source}/{z}/{x}/{y}.mvt${q.length ? "?" + q.join("&") : ""}`;
}

// sources are the style's sources for the tile index (GET /tiles).
function sources(index, s) {
  const out = {};
  for (const l of index) {
    const id = Object.keys(tileLayerOf).find((k) => tileLayerOf[k] === l.name) || l.name;
    out[id] = { type: "vector", tiles: [tileURL(id, s)], minzoom: l.minzoom, maxzoom: l.maxzoom };
  }
  const empty = () => ({ type: "geojson", data: { type: "FeatureCollection", features: [] } });
  out.coverage_buildings = empty();
  out.hydrant_year = empty();
  out.labels = empty();
  out.scenario_changes = empty();
  return out;
}

// The palette: every colour with a meaning, used once. Colours that only
// outline or separate (casings, halos) are not in the legend.
const P = {
  townshipFill: "#ebe7dc", township: "#6b5e45", village: "#5a8a4b", builtup: "#e6d3c3", district: "#f1b6da", districtEdge: "#8e0152",
  road: "#ffffff", roadMajor: "#f1c40f", roadMotorway: "#e67e22", narrow: "#c0392b", casing: "#8a8a8a",
  building: "#c9b8a6", wood: "#a0522d", concrete: "#9aa5b1",
  reach5: "#1a9850", reach8: "#fee08b", reach15: "#f46d43",
  inTime: "#006837", late: "#e08214", unreached: "#525252",
  laneMarked: "#35978f", laneUnmarked: "#dfc27d", laneObstructed: "#8c510a", laneUnknown: "#bababa",
  gap: "#e31a1c",
  tier100: "#4a1486", tier50: "#807dba", tier30: "#bcbddc", tierSmall: "#dadaeb",
  streetGap: "#e7298a", spacing: "#ff7f00", oneSide: "#1f78b4", unprotected: "#f768a1",
  working: "#2b83ba", broken: "#000000", plannedHydrant: "#abd9e9",
  proposalsYear: "#00c2c2", proposalsYearEdge: "#004d4d", proposalsPlan: "#a6e3e3",
  // Stations in indigo, with a white rim: red means only "not reached in time".
  stationFull: "#283593", stationVolunteer: "#7986cb", white: "#ffffff",
  added: "#00a651", moved: "#ff6a00", removed: "#404040",
};

// match colours a property's values as entries ({value, color}) say, the
// rest in fallback.
const match = (prop, entries, fallback) =>
  ["match", ["get", prop], ...entries.flatMap((e) => [e.value, e.color]), fallback];

const reachColor = (minutes) => ({ 5: P.reach5, 8: P.reach8, 15: P.reach15 })[minutes] || P.reach15;
// arrivalColor colours a building by its first crew's arrival (minutes)
// against the target.
export const arrivalColor = (minutes) => ["case", ["==", ["coalesce", ["get", "arrival_min"], -1], -1], P.unreached,
  ["<=", ["get", "arrival_min"], minutes], P.inTime, P.late];

const volunteer = ["match", ["get", "class"], ["volunteer", "micro"], true, false];
const plannedStation = ["==", ["get", "status"], "planned"];
const stationClassColor = ["case", volunteer, P.stationVolunteer, P.stationFull];

// specs is the table: each map layer with the legend entries it draws
// ({key, color, shape, group}). shape: fill, line, dash, circle, ring.
function specs(s) {
  const V = (id, source, type, paint, legend = [], extra = {}) =>
    ({ layer: { id, source, "source-layer": source, type, paint, ...extra }, legend });
  const lanes = [{ value: "marked", key: "laneMarked" }, { value: "unmarked", key: "laneUnmarked" },
    { value: "obstructed", key: "laneObstructed" }].map((e) => ({ ...e, color: P[e.key], shape: "dash", group: "base" }));
  const tiers = [{ value: "100+", key: "tier100" }, { value: "50-99", key: "tier50" }, { value: "30-49", key: "tier30" }]
    .map((e) => ({ ...e, color: P[e.key], shape: "fill", group: "analysis" }));
  const hgaps = [{ value: "street_gap", key: "streetGap" }, { value: "spacing", key: "spacing" }, { value: "one_side", key: "oneSide" }]
    .map((e) => ({ ...e, color: P[e.key], shape: "line", group: "analysis" }));
  const hydrants = [{ value: "working", key: "working" }, { value: "broken", key: "broken" }, { value: "planned", key: "plannedHydrant" }]
    .map((e) => ({ ...e, color: P[e.key], shape: "circle", group: "base" }));
  const structures = [{ value: "wood", key: "wood" }, { value: "concrete", key: "concrete" }]
    .map((e) => ({ ...e, color: P[e.key], shape: "fill", group: "base" }));
  const points = ["in", ["geometry-type"], ["literal", ["Point", "MultiPoint"]]];
  const areas = ["in", ["geometry-type"], ["literal", ["Polygon", "MultiPolygon"]]];
  const yearRank = ["<=", ["get", "rank"], yearSites];
  const label = (field, size, color, extra = {}) => ({
    layout: { "text-field": ["get", field], "text-font": fonts, "text-size": size, ...extra.layout },
    paint: { "text-color": color, "text-halo-color": P.white, "text-halo-width": 1.5 },
  });
  return [
    { layer: { id: "bg", type: "background", paint: { "background-color": "#f4f1ea" } }, legend: [] },
    V("townships-fill", "townships", "fill", { "fill-color": P.townshipFill }),
    V("builtup", "builtup", "fill", { "fill-color": P.builtup, "fill-opacity": 0.8 }, [{ key: "builtup", color: P.builtup, shape: "fill", group: "base" }]),
    V("villages", "villages", "line", { "line-color": P.village, "line-width": 1 }, [{ key: "villageLine", color: P.village, shape: "line", group: "boundaries" }]),
    V("townships", "townships", "line", { "line-color": P.township, "line-width": 1.5, "line-dasharray": [4, 2] },
      [{ key: "townshipLine", color: P.township, shape: "dash", group: "boundaries" }]),
    V("districts", "districts", "fill", { "fill-color": P.district, "fill-opacity": 0.6, "fill-outline-color": P.districtEdge },
      [{ key: "district", color: P.district, shape: "fill", group: "base" }]),
    V("iso-fill", "coverage_isochrones", "fill", {
      "fill-color": ["match", ["get", "minutes"], 5, P.reach5, 8, P.reach8, P.reach15], "fill-opacity": 0.45 },
    [{ key: `reach${s.minutes}`, color: reachColor(s.minutes), shape: "fill", group: "analysis" }],
    { filter: minuteFilter(s.minutes) }),
    V("roads", "roads", "line", {
      "line-color": ["case", ["<", ["coalesce", ["get", "width_m"], 6], 4], P.narrow,
        ["match", ["get", "class"], ["motorway", "trunk"], P.roadMotorway, ["primary", "secondary"], P.roadMajor, P.road]],
      "line-width": ["interpolate", ["linear"], ["zoom"], 8, 0.5, 16, ["match", ["get", "class"], ["motorway", "trunk", "primary"], 6, 3]],
    }, [{ key: "roadMotorway", color: P.roadMotorway, shape: "line", group: "base" }, { key: "roadMajor", color: P.roadMajor, shape: "line", group: "base" },
      { key: "road", color: P.road, shape: "line", group: "base" }, { key: "narrow", color: P.narrow, shape: "line", group: "base" }],
    { layout: { "line-cap": "round" } }),
    V("roads-casing", "roads", "line", { "line-color": P.casing, "line-width": 0.3 }),
    V("buildings", "buildings", "fill", { "fill-color": match("structure", structures, P.building), "fill-outline-color": "#666666" },
      [{ key: "building", color: P.building, shape: "fill", group: "base" }, ...structures]),
    { layer: { id: "bcov", source: "coverage_buildings", type: "circle", minzoom: buildingZoom, paint: {
      "circle-color": arrivalColor(s.minutes), "circle-radius": ["interpolate", ["linear"], ["zoom"], 14, 2, 17, 5],
      "circle-stroke-color": P.white, "circle-stroke-width": 0.5 } },
    legend: ["inTime", "late", "unreached"].map((key) => ({ key, color: P[key], shape: "circle", group: "analysis" })) },
    V("fire_lanes", "fire_lanes", "line", { "line-color": match("status", lanes, P.laneUnknown), "line-width": 2, "line-dasharray": [2, 1] },
      [...lanes, { key: "laneUnknown", color: P.laneUnknown, shape: "dash", group: "base" }]),
    V("gaps-fill", "coverage_gaps", "fill", { "fill-color": P.gap, "fill-opacity": 0.25 }, [{ key: "gapArea", color: P.gap, shape: "fill", group: "analysis" }],
      { filter: areas }),
    V("gaps-line", "coverage_gaps", "line", { "line-color": P.gap, "line-width": 1.5 }, [], { filter: areas }),
    // A township's buildings outside its villages and districts come as
    // their points, not an area.
    V("gaps-point", "coverage_gaps", "circle", { "circle-color": P.gap, "circle-radius": ["interpolate", ["linear"], ["zoom"], 9, 1.5, 16, 4],
      "circle-opacity": 0.8 }, [{ key: "gapBuilding", color: P.gap, shape: "circle", group: "analysis" }], { filter: points }),
    V("clusters-fill", "clusters", "fill", { "fill-color": match("tier", tiers, P.tierSmall), "fill-opacity": 0.5 }, tiers),
    V("clusters-line", "clusters", "line", { "line-color": match("tier", tiers, P.tierSmall), "line-width": 1.5 }),
    V("hgaps-line", "hydrant_gaps", "line", { "line-color": match("kind", hgaps, P.streetGap), "line-width": 3 }, hgaps,
      { filter: ["in", ["geometry-type"], ["literal", ["LineString", "MultiLineString"]]] }),
    V("hgaps-point", "hydrant_gaps", "circle", { "circle-color": P.unprotected, "circle-radius": 2.5 },
      [{ key: "unprotected", color: P.unprotected, shape: "circle", group: "analysis" }], { filter: points }),
    V("hydrants", "hydrants", "circle", {
      "circle-color": match("status", hydrants, P.working),
      "circle-radius": ["interpolate", ["linear"], ["zoom"], 12, 2, 16, 5], "circle-stroke-color": P.white, "circle-stroke-width": 1 }, hydrants),
    // The full plan is drawn light under this year's sites.
    { layer: { id: "plan", source: "hydrant_plan", "source-layer": "hydrant_proposals", type: "circle", filter: ["!", yearRank], paint: {
      "circle-color": P.proposalsPlan, "circle-radius": ["interpolate", ["linear"], ["zoom"], 10, 1.5, 16, 5],
      "circle-stroke-color": P.proposalsYearEdge, "circle-stroke-width": 0.3 } },
    legend: [{ key: "proposalsPlan", color: P.proposalsPlan, shape: "circle", group: "analysis" }] },
    { layer: { id: "proposals", source: "hydrant_year", type: "circle", paint: {
      "circle-color": P.proposalsYear, "circle-radius": ["interpolate", ["linear"], ["zoom"], 8, 4, 16, 9],
      "circle-stroke-color": P.proposalsYearEdge, "circle-stroke-width": 2 } },
    legend: [{ key: "proposalsYear", color: P.proposalsYear, shape: "circle", group: "analysis" }] },
    V("stations", "stations", "circle", {
      "circle-color": ["case", plannedStation, P.white, stationClassColor],
      "circle-radius": ["interpolate", ["linear"], ["zoom"], 8, ["case", volunteer, 3, 5], 16, ["case", volunteer, 7, 10]],
      "circle-stroke-color": ["case", plannedStation, stationClassColor, P.white],
      "circle-stroke-width": ["case", plannedStation, 3, 2] },
    [{ key: "stationFull", color: P.stationFull, shape: "circle", group: "base" },
      { key: "stationVolunteer", color: P.stationVolunteer, shape: "circle", group: "base" },
      { key: "stationPlanned", color: P.stationFull, shape: "ring", group: "base" }]),
    // What a scenario adds, moves or removes, ringed over the drawn layers.
    { layer: { id: "changes-line", source: "scenario_changes", type: "line", filter: ["==", ["geometry-type"], "LineString"],
      paint: { "line-color": P.moved, "line-width": 2, "line-dasharray": [2, 2] } }, legend: [] },
    { layer: { id: "changes", source: "scenario_changes", type: "circle", filter: ["==", ["geometry-type"], "Point"], paint: {
      "circle-color": "rgba(0,0,0,0)", "circle-radius": ["match", ["get", "layer"], "stations", 13, 8],
      "circle-stroke-color": ["match", ["get", "kind"], "added", P.added, "moved", P.moved, P.removed], "circle-stroke-width": 3 } },
    legend: ["added", "moved", "removed"].map((key) => ({ key, color: P[key], shape: "ring", group: "scenarioGroup", scenario: true })) },
    { layer: { id: "changes-x", source: "scenario_changes", type: "symbol", filter: ["==", ["get", "kind"], "removed"],
      layout: { "text-field": "×", "text-font": fonts, "text-size": 22, "text-allow-overlap": true },
      paint: { "text-color": P.removed } }, legend: [] },
    // Labels, from the zoom each becomes readable at.
    V("street-labels", "roads", "symbol", label("name", 12, "#333333").paint, [], {
      minzoom: 13, filter: ["all", ["has", "name"], ["match", ["get", "class"], ["motorway", "trunk", "primary", "secondary"], true,
        "tertiary", [">=", ["zoom"], 15], false]],
      layout: { ...label("name", 12).layout, "symbol-placement": "line", "text-max-angle": 30 } }),
    { layer: { id: "village-labels", source: "labels", type: "symbol", minzoom: 12, filter: ["==", ["get", "layer"], "villages"],
      ...label("name", 12, "#2f5a25") }, legend: [] },
    { layer: { id: "township-labels", source: "labels", type: "symbol", maxzoom: 14, filter: ["==", ["get", "layer"], "townships"],
      ...label("name", ["interpolate", ["linear"], ["zoom"], 8, 13, 12, 18], "#3d3426") }, legend: [] },
    V("station-labels", "stations", "symbol", label("name", 12, "#1a237e").paint, [], {
      minzoom: 11, layout: { ...label("name", 12).layout, "text-offset": [0, 1.2], "text-anchor": "top", "text-optional": true } }),
  ];
}

// analysisOf is the analysis a layer belongs to (none for base layers).
function analysisOf(layerID) {
  return analyses.find((a) => a.layers.includes(layerID));
}

// style is the MapLibre style for a tile index and state ({minutes,
// scenario, on: analysis id -> bool}).
export function style(index, s) {
  const layers = specs(s).map(({ layer }) => {
    const a = analysisOf(layer.id);
    return a ? { ...layer, layout: { ...layer.layout, visibility: s.on[a.id] ? "visible" : "none" } } : layer;
  });
  return { version: 8, sources: sources(index, s), layers };
}

// minuteFilter keeps the isochrone of the target.
export const minuteFilter = (minutes) => ["==", ["get", "minutes"], minutes];

// legendHTML lists what the map draws now: the entries of every visible
// layer at the map's zoom, except those of the county's empty layers
// (s.empty) and scenario entries while no scenario is open; grouped, each
// swatch carrying the layer and colour it stands for.
export function legendHTML(map, s, t) {
  const groups = new Map([["boundaries", []], ["base", []], ["analysis", []], ["scenarioGroup", []]]);
  const seen = new Set();
  for (const { layer, legend } of specs(s)) {
    if (!map.getLayer(layer.id) || map.getLayoutProperty(layer.id, "visibility") === "none" || s.empty?.has(layer.source)) continue;
    // Nor what the zoom does not draw yet.
    const z = map.getZoom(), src = layer.source && map.getSource(layer.source);
    if (z < Math.max(layer.minzoom || 0, src?.minzoom || 0) || z >= (layer.maxzoom ?? Infinity)) continue;
    for (const e of legend) {
      if (e.scenario && !s.scenario) continue;
      const id = `${e.key}|${e.shape}`;
      if (seen.has(id)) continue;
      seen.add(id);
      groups.get(e.group).push(`<div class="legend-entry" data-layer="${layer.id}" data-color="${e.color}" data-shape="${e.shape}">` +
        `<span class="swatch ${e.shape}" style="--c:${e.color}"></span>${t(e.key).replace("{n}", yearSites)}</div>`);
    }
  }
  return [...groups].filter(([, rows]) => rows.length).map(([g, rows]) => `<h3>${t(g)}</h3>${rows.join("")}`).join("");
}

// labelPoints gives each polygon feature (GeoJSON) of layer one point
// inside it to hang its name on: tiles cut polygons, and a label per tile
// would repeat a township's name across it.
export function labelPoints(layer, features) {
  const out = [];
  for (const f of features) {
    const name = f.properties?.name;
    const g = f.geometry;
    if (!name || !g) continue;
    const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    if (!polys.length) continue;
    const largest = polys.reduce((a, b) => (Math.abs(ringArea(b[0])) > Math.abs(ringArea(a[0])) ? b : a));
    out.push({ type: "Feature", geometry: { type: "Point", coordinates: insidePoint(largest) }, properties: { layer, name, id: f.id } });
  }
  return out;
}

function ringArea(r) {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return a / 2;
}

// insidePoint is the middle of the widest stretch of the polygon along the
// horizontal line through its centre: inside even for a crescent.
function insidePoint(poly) {
  let minY = Infinity, maxY = -Infinity;
  for (const [, y] of poly[0]) { minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
  const y = (minY + maxY) / 2, xs = [];
  for (const r of poly) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [x1, y1] = r[j], [x2, y2] = r[i];
      if ((y1 > y) !== (y2 > y)) xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  xs.sort((a, b) => a - b);
  let best = [poly[0][0][0], 0];
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1] - xs[i] > best[1]) best = [(xs[i] + xs[i + 1]) / 2, xs[i + 1] - xs[i]];
  }
  return [best[0], y];
}

// A saved link carries the changes themselves (changes=, base64url of their
// JSON), besides the id: the server forgets scenarios, but posting the same
// changes again gives the same id back.
export function encodeChanges(changes) {
  const bytes = new TextEncoder().encode(JSON.stringify(changes));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeChanges(s) {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  const changes = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
  if (!Array.isArray(changes) || !changes.length) throw new Error("no changes");
  return changes;
}

// changeFeatures rings what a scenario's changes add, move or remove: an
// added feature where it is, a moved one where it went (with a line from
// where it was), a removed one where it was; stationAt and hydrantAt hold
// the baseline's places by id.
export function changeFeatures(changes, stationAt, hydrantAt) {
  const features = [];
  const point = (layer, kind, at) => at && features.push({ type: "Feature", geometry: { type: "Point", coordinates: at }, properties: { layer, kind } });
  for (const c of changes) {
    const from = (c.layer === "stations" ? stationAt : hydrantAt).get(String(c.id));
    if (c.op === "add") point(c.layer, "added", [c.lon, c.lat]);
    else if (c.op === "remove") point(c.layer, "removed", from);
    else if (c.lon !== undefined && from) {
      point(c.layer, "moved", [c.lon, c.lat]);
      features.push({ type: "Feature", geometry: { type: "LineString", coordinates: [from, [c.lon, c.lat]] }, properties: { layer: c.layer, kind: "moved" } });
    }
  }
  return features;
}

// placesOf maps a layer's features (GET /api/layers/{name}/items) by id to
// their coordinates.
export async function placesOf(layer) {
  const r = await fetch(`/api/layers/${layer}/items?limit=10000`);
  if (!r.ok) return new Map();
  return new Map((await r.json()).features.map((f) => [String(f.properties.id ?? f.id), f.geometry.coordinates]));
}

// loadYearSites draws this year's hydrant sites, the plan's first
// yearSites, for the state's scenario.
export async function loadYearSites(map, s) {
  const r = await fetch(`/api/hydrants/proposals?count=${yearSites}${s.scenario ? `&scenario=${encodeURIComponent(s.scenario)}` : ""}`);
  if (r.ok) map.getSource("hydrant_year").setData(await r.json());
}

// emptyLayers names the snapshot's layers without a feature (GET /api/layers).
export const emptyLayers = (info) => new Set(info.layers.filter((l) => !l.count).map((l) => l.name));

// countyBound is the county's extent from GET /api/layers: its townships,
// or where it has none its roads, or any layer.
export function countyBound(info) {
  const l = ["townships", "roads"].map((n) => info.layers.find((x) => x.name === n && x.bbox)).find(Boolean) ||
    info.layers.find((x) => x.bbox);
  return l ? [[l.bbox[0], l.bbox[1]], [l.bbox[2], l.bbox[3]]] : null;
}

// parseHash reads MapLibre's #zoom/lat/lon[/bearing/pitch].
export function parseHash(hash) {
  const p = hash.replace(/^#/, "").split("/").map(Number);
  if (p.length < 3 || p.slice(0, 3).some((v) => !Number.isFinite(v))) return null;
  return { zoom: p[0], center: [p[2], p[1]], bearing: p[3] || 0, pitch: p[4] || 0 };
}
