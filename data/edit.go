package data

import "time"

// Edit replaces whole layers of a snapshot; a nil field keeps the layer.
type Edit struct {
	Stations *[]Station
	Hydrants *[]Hydrant
	Roads    *[]Road
}

// Derive returns a snapshot with e's layers replaced and everything else
// (the other layers, the projection, the options, the load report) shared
// with s, so what depends only on shared layers (the road graph, snaps,
// indexes) keeps its cache key. The new layers' items are checked as a load
// checks them, against s's projection; what they skip is in the report
// returned, and s is not touched.
func (s *Snapshot) Derive(source string, e Edit) (*Snapshot, *Report) {
	d := *s
	d.Source, d.LoadedAt, d.Base = source, time.Now(), s
	rep := &Report{}
	o, maxM := s.Proj.Origin(), s.Options.MaxDistanceM
	if e.Stations != nil {
		items := dropFar(filter(LayerStations, *e.Stations, rep, source), o, maxM, rep.Layer(LayerStations))
		d.Stations = newLayer(schema(LayerStations), items, s.Proj)
	}
	if e.Hydrants != nil {
		items := dropFar(filter(LayerHydrants, *e.Hydrants, rep, source), o, maxM, rep.Layer(LayerHydrants))
		d.Hydrants = newLayer(schema(LayerHydrants), items, s.Proj)
	}
	if e.Roads != nil {
		items := dropFar(filter(LayerRoads, *e.Roads, rep, source), o, maxM, rep.Layer(LayerRoads))
		d.Roads = newLayer(schema(LayerRoads), items, s.Proj)
	}
	d.Version = contentVersion(&d)
	return &d, rep
}
