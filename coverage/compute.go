package coverage

import (
	"context"

	"fireplan/coverage/areas"
	"fireplan/coverage/clusters"
	"fireplan/coverage/hydrants"
	"fireplan/coverage/network"
	"fireplan/coverage/response"
	"fireplan/data"
)

// The shared intermediate results: each is computed once per snapshot and
// the parameters it depends on, through the one cache, and reused by every
// entry that needs it (the truck graph by response times, clusters, fire
// lanes and station siting; the street graph by every hydrant parameter set).
// The graphs and area memberships are keyed by the layers they read, so a
// scenario that moves stations or hydrants reuses them; the rest by the
// whole snapshot's version.

// areaLayers are what areas.New reads.
var areaLayers = []string{data.LayerBuildings, data.LayerTownships, data.LayerVillages, data.LayerDistricts, data.LayerBuiltup}

func get[T any](ctx context.Context, c *Catalog, kind, key string, f func(ctx context.Context) (T, int64, error)) (T, error) {
	v, err := c.Cache.Get(ctx, kind, kind+"|"+key, func(ctx context.Context) (any, int64, error) { return f(ctx) })
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}

func (c *Catalog) areas(ctx context.Context, s *data.Snapshot) (*areas.Membership, error) {
	return get(ctx, c, "areas", s.Key(areaLayers...), func(ctx context.Context) (*areas.Membership, int64, error) {
		return areas.New(s), int64(s.Buildings.Len())*32 + 64, nil
	})
}

type truck struct {
	g  *network.Graph
	sn *network.Snapper
}

// responseParams are the parameters every analysis built on response
// times takes; graphParams the part the truck graph depends on.
var (
	graphParams    = []string{"truck_width_m"}
	responseParams = []string{"truck_width_m", "access_max_m", "access_speed_mps", "station_snap_m"}
)

// params reads the response parameters of v over the catalogue's base.
func (c *Catalog) params(v Values) response.Params {
	p := c.base
	p.TruckWidthM = v.Float("truck_width_m")
	p.AccessMaxM = v.Float("access_max_m")
	p.AccessSpeedMps = v.Float("access_speed_mps")
	p.StationSnapM = v.Float("station_snap_m")
	return p
}

func (c *Catalog) truck(ctx context.Context, s *data.Snapshot, v Values) (truck, error) {
	return get(ctx, c, "truck_graph", s.Key(data.LayerRoads)+"|"+v.keyOf(graphParams), func(ctx context.Context) (truck, int64, error) {
		vx, err := c.roadVertices(ctx, s)
		if err != nil {
			return truck{}, 0, err
		}
		g, err := network.Truck(ctx, s, c.params(v).Profile, vx)
		if err != nil {
			return truck{}, 0, err
		}
		rs, err := c.roadSegments(ctx, s)
		if err != nil {
			return truck{}, 0, err
		}
		return truck{g, rs.Snapper(g)}, g.Bytes(), nil
	})
}

// roadVertices numbers the roads' vertices, once for every truck width.
func (c *Catalog) roadVertices(ctx context.Context, s *data.Snapshot) (*network.Vertices, error) {
	return get(ctx, c, "road_vertices", s.Key(data.LayerRoads), func(ctx context.Context) (*network.Vertices, int64, error) {
		vx, err := network.NewVertices(ctx, s.Roads)
		if err != nil {
			return nil, 0, err
		}
		return vx, vx.Bytes(), nil
	})
}

// roadSegments indexes the roads' segments, once for every truck width.
func (c *Catalog) roadSegments(ctx context.Context, s *data.Snapshot) (*network.Segments, error) {
	return get(ctx, c, "road_segments", s.Key(data.LayerRoads), func(ctx context.Context) (*network.Segments, int64, error) {
		rs, err := network.NewSegments(ctx, s.Roads)
		if err != nil {
			return nil, 0, err
		}
		return rs, rs.Bytes(), nil
	})
}

// roadFrontage finds where the buildings meet the roads, once for every
// truck width.
func (c *Catalog) roadFrontage(ctx context.Context, s *data.Snapshot) (*network.Frontage, error) {
	return get(ctx, c, "road_frontage", s.Key(data.LayerBuildings, data.LayerRoads), func(ctx context.Context) (*network.Frontage, int64, error) {
		rs, err := c.roadSegments(ctx, s)
		if err != nil {
			return nil, 0, err
		}
		f, err := network.NewFrontage(ctx, s, rs, c.base.Profile, response.MaxAccessM)
		if err != nil {
			return nil, 0, err
		}
		return f, f.Bytes(), nil
	})
}

// response computes response times; for a scenario that changes stations
// only (in what a response reads), it derives them from its base
// snapshot's response (cached, or computed once for every scenario of that
// base), redoing only what the changed stations can change.
func (c *Catalog) response(ctx context.Context, s *data.Snapshot, v Values) (*response.Response, error) {
	return get(ctx, c, "response", s.VersionHex()+"|"+v.keyOf(responseParams), func(ctx context.Context) (*response.Response, int64, error) {
		m, err := c.areas(ctx, s)
		if err != nil {
			return nil, 0, err
		}
		var r *response.Response
		if s.Base != nil && s.Key(response.Layers...) == s.Base.Key(response.Layers...) {
			base, err := c.response(ctx, s.Base, v)
			if err != nil {
				return nil, 0, err
			}
			if r, err = base.Derive(ctx, s, m); err != nil {
				return nil, 0, err
			}
		} else {
			t, err := c.truck(ctx, s, v)
			if err != nil {
				return nil, 0, err
			}
			f, err := c.roadFrontage(ctx, s)
			if err != nil {
				return nil, 0, err
			}
			if r, err = response.New(ctx, s, c.params(v), t.g, t.sn, m, f); err != nil {
				return nil, 0, err
			}
		}
		return r, int64(len(r.Buildings)+len(r.Villages)+len(r.Districts))*48 + int64(len(r.Graph.Nodes))*12, nil
	})
}

var hydrantParams = []string{"mode", "radius_m", "spacing_m", "include_planned"}

func (c *Catalog) streets(ctx context.Context, s *data.Snapshot) (*hydrants.Streets, error) {
	return get(ctx, c, "street_graph", s.Key(data.LayerRoads, data.LayerBuiltup), func(ctx context.Context) (*hydrants.Streets, int64, error) {
		st, err := hydrants.NewStreets(ctx, s, c.base.NodeToleranceM)
		if err != nil {
			return nil, 0, err
		}
		return st, st.G.Bytes() * 3 / 2, nil
	})
}

func (c *Catalog) streetsAndAreas(ctx context.Context, s *data.Snapshot) (*hydrants.Streets, *areas.Membership, error) {
	st, err := c.streets(ctx, s)
	if err != nil {
		return nil, nil, err
	}
	m, err := c.areas(ctx, s)
	return st, m, err
}

// frontage finds where the buildings meet the streets, once for every
// hydrant parameter set of the same roads, built-up areas and buildings.
func (c *Catalog) frontage(ctx context.Context, s *data.Snapshot) (*hydrants.Frontage, error) {
	return get(ctx, c, "street_frontage", s.Key(areaLayers...)+"|"+s.Key(data.LayerRoads), func(ctx context.Context) (*hydrants.Frontage, int64, error) {
		st, m, err := c.streetsAndAreas(ctx, s)
		if err != nil {
			return nil, 0, err
		}
		f, err := hydrants.NewFrontage(ctx, s, st, m)
		if err != nil {
			return nil, 0, err
		}
		return f, f.Bytes(), nil
	})
}

func hydrantParamsOf(v Values) hydrants.Params {
	p := hydrants.DefaultParams()
	p.Straight = v.Get("mode") == "straight"
	p.RadiusM = v.Float("radius_m")
	p.SpacingM = v.Float("spacing_m")
	p.IncludePlanned = v.Bool("include_planned")
	return p
}

func (c *Catalog) hydrants(ctx context.Context, s *data.Snapshot, v Values) (*hydrants.Hydrants, error) {
	return get(ctx, c, "hydrants", s.VersionHex()+"|"+v.keyOf(hydrantParams), func(ctx context.Context) (*hydrants.Hydrants, int64, error) {
		st, m, err := c.streetsAndAreas(ctx, s)
		if err != nil {
			return nil, 0, err
		}
		f, err := c.frontage(ctx, s)
		if err != nil {
			return nil, 0, err
		}
		h, err := hydrants.New(ctx, s, hydrantParamsOf(v), st, m, f)
		if err != nil {
			return nil, 0, err
		}
		n := int64(len(h.Protected)) + int64(len(h.Stretches)+len(h.Spacing)+len(h.OneSide))*64 + int64(len(h.BuildingGaps))*4
		if h.D != nil {
			n += int64(len(h.D.T)) * 12
		}
		return h, n + 1024, nil
	})
}

func (c *Catalog) plan(ctx context.Context, s *data.Snapshot, v Values) (*hydrants.Hydrants, *hydrants.Plan, error) {
	h, err := c.hydrants(ctx, s, v)
	if err != nil {
		return nil, nil, err
	}
	p, err := get(ctx, c, "hydrant_plan", s.VersionHex()+"|"+v.keyOf(hydrantParams), func(ctx context.Context) (*hydrants.Plan, int64, error) {
		p, err := h.Plan(ctx)
		if err != nil {
			return nil, 0, err
		}
		return p, int64(len(p.Sites))*96 + 256, nil
	})
	return h, p, err
}

var clusterParams = append([]string{"separation_m", "by_structure"}, responseParams...)

func (c *Catalog) clusters(ctx context.Context, s *data.Snapshot, v Values) (*clusters.Clusters, error) {
	return get(ctx, c, "clusters", s.VersionHex()+"|"+v.keyOf(clusterParams), func(ctx context.Context) (*clusters.Clusters, int64, error) {
		r, err := c.response(ctx, s, v)
		if err != nil {
			return nil, 0, err
		}
		p := clusters.Params{SeparationM: v.Float("separation_m"), ByStructure: v.Bool("by_structure")}
		cl, err := clusters.New(ctx, s, p, r.Member, r)
		if err != nil {
			return nil, 0, err
		}
		n := int64(len(cl.Rural)) * 8
		for i := range cl.Clusters {
			n += int64(len(cl.Clusters[i].Buildings))*4 + 160
		}
		return cl, n, nil
	})
}
