-- A municipal GIS as counties keep it: its own schema, UTM 17N (EPSG:32617),
-- its own column names and codes, MultiLineString roads, no villages,
-- districts or fire lanes. docs/municipal.example.json maps it.
CREATE TABLE %[1]s.road_centerline (objectid serial, road_id integer, fullname text, class text,
  oneway smallint, width text, status text, shape geometry(MultiLineString, 32617));
INSERT INTO %[1]s.road_centerline (road_id, fullname, class, oneway, width, status, shape) VALUES
 (101, 'Main St',   'Arterial', 0, '7.5', 'ACTIVE',  'SRID=32617;MULTILINESTRING((500000 4428000, 501000 4428000))'),
 (102, 'Elm St',    'Major',    1, '3 m', 'ACTIVE',  'SRID=32617;MULTILINESTRING((501000 4428000, 501000 4429000))'),
 (103, 'Oak St',    'Minor',    2, NULL,  'ACTIVE',  'SRID=32617;MULTILINESTRING((500000 4428000, 500000 4429000))'),
 (104, NULL,        NULL,       0, '6',   'ACTIVE',  'SRID=32617;MULTILINESTRING((500000 4429000, 501000 4429000))'),
 (105, 'Pine Ct',   'Minor',    9, '5',   'ACTIVE',  'SRID=32617;MULTILINESTRING((500500 4428000, 500500 4428500))'),
 (106, 'Back Aly',  'Alley',    7, '4',   'ACTIVE',  'SRID=32617;MULTILINESTRING((500500 4428500, 500500 4429000))'),
 (107, 'Old Rd',    'Arterial', 0, '10',  'RETIRED', 'SRID=32617;MULTILINESTRING((501000 4429000, 502000 4429000))'),
 (108, 'Cedar Ave', 'Major',    1, NULL,  'ACTIVE',  'SRID=32617;MULTILINESTRING((501000 4428500, 501500 4428500),(501500 4428500, 502000 4428500))');
CREATE TABLE %[1]s.hydrant (facilityid text, hyd_type text, flow_gpm numeric, shape geometry(Point, 32617));
INSERT INTO %[1]s.hydrant VALUES
 ('HY-1', 'Dry Barrel', 1000, 'SRID=32617;POINT(500100 4428010)'),
 ('HY-2', 'Wet Barrel', NULL, 'SRID=32617;POINT(500900 4428010)'),
 ('HY-3', 'Dry Barrel', 750,  'SRID=32617;POINT(500010 4428800)');
CREATE TABLE %[1]s.fire_station (station_no integer, station_name text, shape geometry(Point, 32617));
INSERT INTO %[1]s.fire_station VALUES
 (1, 'Station 1', 'SRID=32617;POINT(500020 4428020)'),
 (2, 'Station 2', 'SRID=32617;POINT(501020 4428980)');
CREATE TABLE %[1]s.building_footprint (bldg_id integer, units integer, stories integer, shape geometry(MultiPolygon, 32617));
INSERT INTO %[1]s.building_footprint VALUES
 (1, 2,    2, 'SRID=32617;MULTIPOLYGON(((500100 4428030, 500120 4428030, 500120 4428050, 500100 4428050, 500100 4428030)))'),
 (2, NULL, 1, 'SRID=32617;MULTIPOLYGON(((500300 4428030, 500320 4428030, 500320 4428050, 500300 4428050, 500300 4428030)))'),
 (3, 1,    1, 'SRID=32617;MULTIPOLYGON(((500030 4428600, 500050 4428600, 500050 4428620, 500030 4428620, 500030 4428600)))'),
 (4, 12,   4, 'SRID=32617;MULTIPOLYGON(((500700 4428960, 500740 4428960, 500740 4428980, 500700 4428980, 500700 4428960)))');
CREATE TABLE %[1]s.municipal_boundary (muni_code text, muni_name text, shape geometry(MultiPolygon, 32617));
INSERT INTO %[1]s.municipal_boundary VALUES
 ('M1', 'Elm Township', 'SRID=32617;MULTIPOLYGON(((499000 4427000, 503000 4427000, 503000 4430000, 499000 4430000, 499000 4427000)))');
