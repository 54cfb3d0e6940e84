-- OpenStreetMap as ogr2ogr writes it with its default osmconf.ini: points,
-- lines and multipolygons in EPSG:4326, a few tags as columns and the rest
-- in other_tags (hstore). docs/osm.example.json maps it.
CREATE TABLE %[1]s.points (ogc_fid serial PRIMARY KEY, osm_id text, name text, barrier text, highway text, ref text,
  address text, is_in text, place text, man_made text, other_tags hstore, wkb_geometry geometry(Point, 4326));
INSERT INTO %[1]s.points (osm_id, name, other_tags, wkb_geometry) VALUES
 ('1001', NULL, '"emergency"=>"fire_hydrant","fire_hydrant:type"=>"pillar"', 'SRID=4326;POINT(24.9401 60.1701)'),
 ('1002', NULL, '"emergency"=>"fire_hydrant","disused"=>"yes"', 'SRID=4326;POINT(24.9451 60.1701)'),
 ('1003', NULL, '"emergency"=>"water_tank"', 'SRID=4326;POINT(24.9421 60.1731)'),
 ('1004', 'Keskuspelastusasema', '"amenity"=>"fire_station"', 'SRID=4326;POINT(24.9402 60.1702)'),
 ('1005', 'Kahvila', '"amenity"=>"cafe"', 'SRID=4326;POINT(24.9410 60.1710)');
CREATE TABLE %[1]s.lines (ogc_fid serial PRIMARY KEY, osm_id text, name text, highway text, waterway text, aerialway text,
  barrier text, man_made text, railway text, z_order integer, other_tags hstore, wkb_geometry geometry(LineString, 4326));
INSERT INTO %[1]s.lines (osm_id, name, highway, waterway, other_tags, wkb_geometry) VALUES
 ('2001', 'Mannerheimintie', 'primary', NULL, '"width"=>"12","lanes"=>"4","maxspeed"=>"40"', 'SRID=4326;LINESTRING(24.9400 60.1700, 24.9450 60.1700)'),
 ('2002', 'Kaivokatu', 'secondary', NULL, '"oneway"=>"yes","width"=>"3 m"', 'SRID=4326;LINESTRING(24.9450 60.1700, 24.9450 60.1730)'),
 ('2003', 'Kluuvikatu', 'living_street', NULL, '"oneway"=>"-1"', 'SRID=4326;LINESTRING(24.9400 60.1700, 24.9400 60.1730)'),
 ('2004', NULL, 'service', NULL, '"tunnel"=>"yes","layer"=>"-1"', 'SRID=4326;LINESTRING(24.9400 60.1730, 24.9450 60.1730)'),
 ('2005', NULL, 'footway', NULL, NULL, 'SRID=4326;LINESTRING(24.9410 60.1700, 24.9410 60.1730)'),
 ('2006', 'Vantaa', NULL, 'river', NULL, 'SRID=4326;LINESTRING(24.9300 60.1600, 24.9350 60.1650)'),
 ('2007', NULL, 'unclassified', NULL, '"bridge"=>"yes","oneway"=>"reversible"', 'SRID=4326;LINESTRING(24.9450 60.1730, 24.9500 60.1730)');
CREATE TABLE %[1]s.multipolygons (ogc_fid serial PRIMARY KEY, osm_id text, osm_way_id text, name text, type text, aeroway text,
  amenity text, admin_level text, barrier text, boundary text, building text, craft text, geological text, historic text,
  land_area text, landuse text, leisure text, man_made text, military text, "natural" text, office text, place text,
  shop text, sport text, tourism text, other_tags hstore, wkb_geometry geometry(MultiPolygon, 4326));
INSERT INTO %[1]s.multipolygons (osm_id, osm_way_id, name, admin_level, boundary, building, landuse, other_tags, wkb_geometry) VALUES
 (NULL, '3001', NULL, NULL, NULL, 'apartments', NULL, '"building:flats"=>"24","building:levels"=>"6"', 'SRID=4326;MULTIPOLYGON(((24.9410 60.1702, 24.9414 60.1702, 24.9414 60.1704, 24.9410 60.1704, 24.9410 60.1702)))'),
 (NULL, '3002', NULL, NULL, NULL, 'yes', NULL, NULL, 'SRID=4326;MULTIPOLYGON(((24.9420 60.1702, 24.9424 60.1702, 24.9424 60.1704, 24.9420 60.1704, 24.9420 60.1702)))'),
 ('3003', NULL, NULL, NULL, NULL, 'house', NULL, '"building:levels"=>"two"', 'SRID=4326;MULTIPOLYGON(((24.9430 60.1712, 24.9434 60.1712, 24.9434 60.1714, 24.9430 60.1714, 24.9430 60.1712)))'),
 (NULL, '3004', 'Kamppi', '10', 'administrative', NULL, NULL, NULL, 'SRID=4326;MULTIPOLYGON(((24.93 60.16, 24.96 60.16, 24.96 60.18, 24.93 60.18, 24.93 60.16)))'),
 (NULL, '3005', NULL, NULL, NULL, NULL, 'residential', NULL, 'SRID=4326;MULTIPOLYGON(((24.939 60.169, 24.951 60.169, 24.951 60.174, 24.939 60.174, 24.939 60.169)))'),
 (NULL, '3006', NULL, NULL, NULL, NULL, 'industrial', NULL, 'SRID=4326;MULTIPOLYGON(((24.955 60.169, 24.958 60.169, 24.958 60.172, 24.955 60.172, 24.955 60.169)))'),
 (NULL, '3007', 'Puisto', NULL, NULL, NULL, NULL, '"leisure"=>"park"', 'SRID=4326;MULTIPOLYGON(((24.945 60.175, 24.946 60.175, 24.946 60.176, 24.945 60.176, 24.945 60.175)))');
