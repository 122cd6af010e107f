/**
 * Shanghai's sixteen districts as ECharts knows them: the outlines registered once under one name,
 * for every map of the city (the cockpit's districts, the risk map's points). Imported only by maps,
 * which load on their own: the outlines weigh 100 kB.
 */
import { GeoComponent } from 'echarts/components';
import { registerMap, use } from 'echarts/core';
import geojson from '../../../reference/shanghai-districts.geojson?raw';

interface DistrictFeature {
  properties: { code: string; name: string; cp?: [number, number] };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] };
}

export const shanghai = JSON.parse(geojson) as { features: DistrictFeature[] };
export const SHANGHAI_MAP = 'shanghai';
// registerMap does nothing until the geo component is installed: it brings the maps' registry.
use([GeoComponent]);
registerMap(SHANGHAI_MAP, shanghai as unknown as Parameters<typeof registerMap>[1]);

/** A district's outer rings. */
function outerRings(f: DistrictFeature): number[][][] {
  const polygons = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
  return polygons.map(([ring]) => ring);
}

/** A district's area in square degrees (outer rings, shoelace): only to tell the small central districts from the rest. */
function area(f: DistrictFeature): number {
  let sum = 0;
  for (const ring of outerRings(f)) {
    let a = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]);
    sum += Math.abs(a) / 2;
  }
  return sum;
}

/**
 * The central districts (黄浦, 静安, 长宁, 虹口 …) are too small for a name inside them at cockpit
 * size: their names would pile on each other. They show on hover or tap, with the figures.
 * 0.008 square degrees is about 85 km²; the smallest outer district is several times larger.
 */
export const SMALL_DISTRICTS = new Set(shanghai.features.filter((f) => area(f) < 0.008).map((f) => f.properties.code));

export interface Box {
  west: number;
  east: number;
  south: number;
  north: number;
}

function boxOf(features: DistrictFeature[]): Box {
  const b: Box = { west: Infinity, east: -Infinity, south: Infinity, north: -Infinity };
  for (const f of features)
    for (const ring of outerRings(f))
      for (const [lng, lat] of ring) {
        b.west = Math.min(b.west, lng);
        b.east = Math.max(b.east, lng);
        b.south = Math.min(b.south, lat);
        b.north = Math.max(b.north, lat);
      }
  return b;
}

const CITY_BOX = boxOf(shanghai.features);

/**
 * Where a map of the city looks to show one district whole: its box's centre, and how far to zoom in
 * from the whole city (echarts' geo `center` and `zoom`). Undefined for an unknown code.
 */
export function districtView(code: string): { center: [number, number]; zoom: number } | undefined {
  const f = shanghai.features.find((x) => x.properties.code === code);
  if (!f) return undefined;
  const b = boxOf([f]);
  const zoom = Math.min((CITY_BOX.east - CITY_BOX.west) / (b.east - b.west), (CITY_BOX.north - CITY_BOX.south) / (b.north - b.south));
  // A little room around the district, and never closer than four times: the outlines are coarse.
  return { center: [(b.west + b.east) / 2, (b.south + b.north) / 2], zoom: Math.min(4, Math.max(1, zoom * 0.85)) };
}
